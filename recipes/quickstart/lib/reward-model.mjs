// The reward model: logistic regression on a response's text features, its score and its training.
import { rngFor, shuffle } from './random.mjs';
import { round } from './jsonl.mjs';

// Tokens of a response for the RM: lower-case words, punctuation, and numbers reduced to their
// digit count ("<n2>") so the model learns patterns, not particular numbers.
export function tokens(text) {
  return text
    .toLowerCase()
    .replace(/-?\d+/g, (m) => ` <n${m.replace('-', '').length}> `)
    .match(/<n\d+>|[a-z]+|[^\s\w]/g) ?? [];
}

// Binary features: unigrams and bigrams of the tokens, per line (so a bigram never spans two steps).
export function textFeatures(text) {
  const feats = new Set();
  for (const line of text.split('\n')) {
    const toks = tokens(line);
    for (let i = 0; i < toks.length; i += 1) {
      feats.add(`u:${toks[i]}`);
      if (i + 1 < toks.length) feats.add(`b:${toks[i]} ${toks[i + 1]}`);
    }
  }
  return [...feats];
}

// Logistic function.
export function sigmoid(z) {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

// The RM's score of a response: the logit w·x + b over its known features.
export function rmScore(rm, text) {
  let z = rm.bias;
  for (const f of textFeatures(text)) {
    const w = rm.weights[f];
    if (w !== undefined) z += w;
  }
  return z;
}

// Reward-model training settings: held-out share (by query), epochs, step size, L2, minimum feature count.
export const RM_TRAINING = { holdout: 0.2, epochs: 300, learningRate: 0.5, l2: 1e-3, minCount: 2 };

// How often (in epochs) the training curve gets a point.
const CURVE_EVERY = 5;

// Mean log loss and accuracy (score > 0 ⇔ predicted correct) of weights on encoded examples
// {x: feature indices, y: 0/1, count: how many identical rows it stands for}.
function evaluateRm(w, bias, data) {
  let loss = 0;
  let hits = 0;
  let n = 0;
  for (const { x, y, count } of data) {
    let z = bias;
    for (const j of x) z += w[j];
    const p = Math.min(Math.max(sigmoid(z), 1e-12), 1 - 1e-12);
    loss -= count * (y ? Math.log(p) : Math.log(1 - p));
    if ((z > 0) === (y === 1)) hits += count;
    n += count;
  }
  return { loss: n ? loss / n : 0, accuracy: n ? hits / n : 0 };
}

// Collapses identical (response, label) rows into one weighted example: same loss, less work.
function collapse(rows) {
  const groups = new Map();
  for (const r of rows) {
    const key = `${r.correct ? 1 : 0}\u0000${r.response}`;
    const g = groups.get(key);
    if (g) g.count += 1;
    else groups.set(key, { response: r.response, y: r.correct ? 1 : 0, count: 1 });
  }
  return [...groups.values()];
}

// Fits the RM on graded rows {id, response, correct}: split by query (a query's responses on one side),
// vocabulary from the training side, gradient descent on the mean log loss + L2. Returns the model
// {bias, weights: {feature: w}} and its train / held-out loss and accuracy. `onStep`, if given, receives the
// training curve: every CURVE_EVERY epochs and after the last, the train loss at the weights of that step (from
// the gradient pass itself) and the held-out loss and accuracy.
export function trainRewardModel(rows, seed, settings = RM_TRAINING, onStep = undefined) {
  const ids = shuffle(rngFor(seed, 'rm-split'), [...new Set(rows.map((r) => r.id))].sort());
  const heldIds = new Set(ids.slice(0, Math.round(ids.length * settings.holdout)));
  const trainGroups = collapse(rows.filter((r) => !heldIds.has(r.id)));
  const heldGroups = collapse(rows.filter((r) => heldIds.has(r.id)));
  const trainFeats = trainGroups.map((g) => textFeatures(g.response));
  const counts = new Map();
  trainFeats.forEach((fs, i) => {
    for (const f of fs) counts.set(f, (counts.get(f) ?? 0) + trainGroups[i].count);
  });
  const vocab = [...counts.keys()].filter((f) => counts.get(f) >= settings.minCount).sort();
  const index = new Map(vocab.map((f, j) => [f, j]));
  const encode = (feats) => feats.map((f) => index.get(f)).filter((j) => j !== undefined);
  const train = trainGroups.map((g, i) => ({ x: encode(trainFeats[i]), y: g.y, count: g.count }));
  const held = heldGroups.map((g) => ({ x: encode(textFeatures(g.response)), y: g.y, count: g.count }));
  const n = Math.max(train.reduce((s, e) => s + e.count, 0), 1);

  const w = new Float64Array(vocab.length);
  const grad = new Float64Array(vocab.length);
  let bias = 0;
  const point = (step, trainLoss) => {
    const h = held.length ? evaluateRm(w, bias, held) : undefined;
    onStep({ step, loss: round(trainLoss), ...(h ? { heldout_loss: round(h.loss), heldout_accuracy: round(h.accuracy) } : {}) });
  };
  for (let epoch = 0; epoch < settings.epochs; epoch += 1) {
    grad.fill(0);
    let gb = 0;
    let lossSum = 0;
    for (const { x, y, count } of train) {
      let z = bias;
      for (const j of x) z += w[j];
      const p = sigmoid(z);
      const g = count * (p - y);
      gb += g;
      for (const j of x) grad[j] += g;
      if (onStep) lossSum -= count * Math.log(Math.min(Math.max(y ? p : 1 - p, 1e-12), 1));
    }
    if (onStep && epoch % CURVE_EVERY === 0) point(epoch, lossSum / n);
    for (let j = 0; j < w.length; j += 1) w[j] -= settings.learningRate * (grad[j] / n + settings.l2 * w[j]);
    bias -= settings.learningRate * (gb / n);
  }
  const weights = {};
  vocab.forEach((f, j) => {
    if (Math.abs(w[j]) > 1e-6) weights[f] = round(w[j], 6);
  });
  const trainEval = evaluateRm(w, bias, train);
  if (onStep) point(settings.epochs, trainEval.loss);
  return {
    rm: { format: 'quickstart-rm/1', bias: round(bias, 6), weights },
    stats: {
      train: trainEval,
      heldout: held.length ? evaluateRm(w, bias, held) : trainEval,
      trainExamples: n,
      heldoutExamples: held.reduce((s, e) => s + e.count, 0),
      features: vocab.length,
    },
  };
}
