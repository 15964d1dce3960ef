// A modal dialog (<dialog> shown with showModal: focus stays inside, Escape closes it) with a
// heading that names it. The focus starts on the control marked data-autofocus, else the first.
import { useEffect, useId, useRef, type ReactNode } from 'react';

export function Modal(props: { title: string; onClose: () => void; className?: string; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d || d.open) return;
    d.showModal();
    // showModal focuses the first control; a dialog that should start elsewhere (Cancel, in a destructive one) marks it.
    d.querySelector<HTMLElement>('[data-autofocus]')?.focus();
  }, []);
  return (
    <dialog
      ref={ref}
      className={`modal ${props.className ?? ''}`.trim()}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      <h2 id={titleId}>{props.title}</h2>
      {props.children}
    </dialog>
  );
}
