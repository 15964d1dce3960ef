// The providers a mailbox signs in with, in the words a rep reads: the server's messages and the
// web app's buttons name them alike.

export type OAuthProvider = 'google' | 'microsoft';
export const OAUTH_PROVIDERS: readonly OAuthProvider[] = ['google', 'microsoft'];

export const PROVIDER_LABEL: Readonly<Record<OAuthProvider, string>> = { google: 'Google', microsoft: 'Microsoft 365' };

/** How a mailbox signs in, after "signs in with …". */
export const SIGNS_IN_WITH: Readonly<Record<OAuthProvider | 'password', string>> = {
  password: 'a password',
  google: `${PROVIDER_LABEL.google} sign-in`,
  microsoft: `${PROVIDER_LABEL.microsoft} sign-in`,
};
