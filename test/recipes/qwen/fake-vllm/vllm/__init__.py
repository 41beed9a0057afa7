"""A stand-in for vllm, for tests only: no model, no GPU. It answers each prompt with canned text that names
the GPU the engine was given and the question's length in a \\boxed{}, so sample.py's and eval.py's plumbing
(data-parallel engines, resumable chunks, merging, grading) can be checked without vLLM.
Set FAKE_VLLM_FAIL_ON=TEXT to make an engine fail on a prompt containing TEXT."""

import os
from types import SimpleNamespace


class SamplingParams:
    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)


class _Tokenizer:
    def get_vocab(self):
        return {"<|im_end|>": 151645, "<|endoftext|>": 151643}

    def convert_tokens_to_ids(self, token):
        return self.get_vocab()[token]

    def apply_chat_template(self, messages, tokenize=False, add_generation_prompt=False):
        return "\n".join(m["content"] for m in messages)


class LLM:
    def __init__(self, **kwargs):
        self.gpu = os.environ["CUDA_VISIBLE_DEVICES"]

    def get_tokenizer(self):
        return _Tokenizer()

    def generate(self, prompts, params, use_tqdm=False):
        fail_on = os.environ.get("FAKE_VLLM_FAIL_ON")
        results = []
        for prompt in prompts:
            if fail_on and fail_on in prompt:
                raise RuntimeError(f"fake engine failure on {prompt!r}")
            question = prompt.split("\n")[-1]
            outputs = [
                SimpleNamespace(text=f"gpu {self.gpu}: \\boxed{{{len(question)}}}", finish_reason="stop", token_ids=[0] * (k + 3))
                for k in range(params.n)
            ]
            results.append(SimpleNamespace(outputs=outputs))
        return results
