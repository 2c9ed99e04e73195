import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { useAction } from '../hooks/useAction';
import { ErrorMessage } from './ErrorMessage';

/**
 * A modal dialog on the native `<dialog>` (showModal): focus moves in and stays in, Escape closes,
 * the page behind is inert, with no library and nothing the CSP forbids. It is put in the page's
 * body, not where its opener sits: a dialog is no part of a banner's or a toolbar's layout.
 */
export function Dialog({
  open,
  title,
  onClose,
  children,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    else if (!open && dialog.open) dialog.close();
  }, [open]);
  return createPortal(
    <dialog ref={ref} className="dialog" aria-labelledby={titleId} onClose={onClose}>
      {open && (
        <>
          <h2 id={titleId}>{title}</h2>
          {children}
        </>
      )}
    </dialog>,
    document.body,
  );
}

/** Asks for a name (rename, fork…): the form's one field, prefilled and selected. */
export function NameDialog({
  open,
  title,
  label,
  initial,
  confirmLabel,
  onSubmit,
  onClose,
}: {
  open: boolean;
  title: string;
  label: ReactNode;
  initial: string;
  confirmLabel: string;
  /** Does the work; a thrown error is shown in the dialog, which stays open to correct the name. */
  onSubmit: (name: string) => Promise<void>;
  onClose: () => void;
}) {
  const [name, setName] = useState(initial);
  const { run, pending, error, setError } = useAction(onSubmit);
  useEffect(() => {
    if (open) {
      setName(initial);
      setError(null);
    }
  }, [open, initial, setError]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(name.trim());
  };
  return (
    <Dialog open={open} title={title} onClose={onClose}>
      <form className="form dialog-form" onSubmit={submit}>
        <label>
          {label}
          <input
            name="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            onFocus={(e) => e.target.select()}
            required
            autoFocus
          />
        </label>
        <ErrorMessage message={error} />
        <DialogButtons
          confirmLabel={pending ? `${confirmLabel}…` : confirmLabel}
          pending={pending}
          onClose={onClose}
        />
      </form>
    </Dialog>
  );
}

/** Asks before something that cannot be undone (delete, restart a kernel…). */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  danger = false,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onClose();
    onConfirm();
  };
  return (
    <Dialog open={open} title={title} onClose={onClose}>
      <form className="dialog-form" onSubmit={submit}>
        <div className="dialog-body">{children}</div>
        <DialogButtons confirmLabel={confirmLabel} danger={danger} onClose={onClose} autoFocus />
      </form>
    </Dialog>
  );
}

/** Cancel and the confirming submit button, at the foot of a dialog's form. */
export function DialogButtons({
  confirmLabel,
  danger = false,
  pending = false,
  autoFocus = false,
  onClose,
}: {
  confirmLabel: string;
  danger?: boolean;
  pending?: boolean;
  autoFocus?: boolean;
  onClose: () => void;
}) {
  return (
    <div className="dialog-buttons">
      <button type="button" className="button button-secondary" onClick={onClose}>
        Cancel
      </button>
      <button
        type="submit"
        className={`button ${danger ? 'button-danger' : 'button-primary'}`}
        disabled={pending}
        // biome-ignore lint/a11y/noAutofocus: Enter confirms, as in JupyterLab's dialogs.
        autoFocus={autoFocus}
      >
        {confirmLabel}
      </button>
    </div>
  );
}
