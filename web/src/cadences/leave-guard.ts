// Unsaved edits are not lost by leaving: closing or reloading the tab asks (beforeunload), and so
// does any in-app move (a link, Back), which is a hash change. The check runs before the router's
// own hashchange listeners (a capture listener on the target runs first) and, when the person
// stays, puts the address back and stops the others from seeing the change.

let unsaved: (() => boolean) | null = null;
let current = window.location.hash;

export const LEAVE_QUESTION = 'You have unsaved changes to this cadence. Leave without saving them?';

window.addEventListener(
  'hashchange',
  (e) => {
    if (unsaved?.() && !window.confirm(LEAVE_QUESTION)) {
      e.stopImmediatePropagation();
      window.history.replaceState(null, '', current);
      return;
    }
    current = window.location.hash;
  },
  true,
);

window.addEventListener('beforeunload', (e) => {
  if (!unsaved?.()) return;
  e.preventDefault();
  // Older browsers show the prompt only when returnValue is set.
  e.returnValue = '';
});

/** While `isDirty` answers true, leaving asks first. Returns the function that removes the guard. */
export function guardLeaving(isDirty: () => boolean): () => void {
  unsaved = isDirty;
  return () => {
    if (unsaved === isDirty) unsaved = null;
  };
}

/** For moves inside a page (viewing another version): true when there is nothing to lose or the person agrees. */
export function mayDiscard(): boolean {
  return !unsaved?.() || window.confirm(LEAVE_QUESTION);
}
