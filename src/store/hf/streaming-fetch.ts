// Wraps fetch so that a request whose body is a Blob (an LFS upload: @huggingface/hub passes the file as a Blob
// over the file on disk, file-blob.ts) is sent as a stream read from disk as the socket takes it. Node 20's fetch (undici)
// otherwise keeps the whole body in memory while sending it, to be able to send it again on a 307/308 redirect
// (nodejs/undici#4058): publishing a 1.5 GB file then held 1.6 GB. With `redirect: 'error'` undici keeps nothing;
// the Hub's upload links (presigned S3 URLs) never redirect. `Content-Length` is set from the Blob's size, as
// storage hosts refuse a chunked upload. Put it below retryingFetch: each try opens a fresh stream of the Blob.
export function streamingFetch(inner: typeof fetch): typeof fetch {
  return (input, init) => {
    const body = init?.body;
    if (!(body instanceof Blob)) return inner(input, init);
    const headers = new Headers(init?.headers);
    headers.set('Content-Length', String(body.size));
    return inner(input, { ...init, headers, body: body.stream(), redirect: 'error', duplex: 'half' } as RequestInit);
  };
}
