// The page behind the one-click unsubscribe link every mail carries (List-Unsubscribe, RFC 8058):
// HTML for people, outside /api/ and the OpenAPI document. GET shows a confirmation and changes
// nothing; POST opts out (the page's button, or the mail provider's one-click request).
import { z } from 'zod';
import { route } from './route.ts';

export const UNSUBSCRIBE_PATH = '/unsubscribe';

/** The signed token is the only credential: no session. */
const query = z.object({ token: z.string().max(200).optional() });

export const unsubscribe = {
  page: route('GET', UNSUBSCRIBE_PATH, 'public', { hide: true, querystring: query }),
  confirm: route('POST', UNSUBSCRIBE_PATH, 'public', { hide: true, querystring: query }),
};
