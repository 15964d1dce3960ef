// The password policy as the services apply it: a refusal is an 'invalid' error on the password field.
import { TallyError } from '../core/errors.ts';
import { passwordProblem } from '../core/password-policy.ts';

/** `personal`: the person's address and name, which make a password easy to guess. */
export async function requireGoodPassword(password: string, personal: readonly string[]): Promise<void> {
  const problem = await passwordProblem(password, personal);
  if (problem) throw new TallyError(problem, 'invalid', { field: 'password' });
}
