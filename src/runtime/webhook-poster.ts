// The app's WebhookPoster over fetch: one POST, no redirects followed (a receiver must answer 2xx
// itself), the body of the answer discarded, and a failure said in a few words.
import type { WebhookPoster } from '../app/ports/runtime.ts';

export function fetchPoster(fetchFn: typeof fetch = fetch): WebhookPoster {
  return {
    async post(url, body, headers, timeoutMs) {
      let res: Response;
      try {
        res = await fetchFn(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      } catch (err) {
        const e = err as Error & { cause?: { code?: string; message?: string } };
        if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new Error(`no answer within ${timeoutMs / 1000} s`, { cause: err });
        throw new Error(e.cause?.code ? `${e.message} (${e.cause.code})` : e.cause?.message ?? e.message, { cause: err });
      }
      await res.body?.cancel().catch(() => undefined);
      return { status: res.status };
    },
  };
}
