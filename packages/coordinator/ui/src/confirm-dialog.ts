import { ApiError, UnreachableError } from './api-client';
import { h, uniqueId, type Child } from './dom';

/** Options of {@link confirmAction}. */
export interface ConfirmOptions {
  /** The dialog's name: the action and what it acts on, e.g. "Pause schedule nightly". */
  readonly title: string;
  /** What the action does, and any inputs it needs. */
  readonly content?: readonly Child[];
  /** Carries the action out; what it throws is shown in the dialog and the dialog stays open. */
  readonly action: () => Promise<void>;
  /** Called after the action succeeded and the dialog closed. */
  readonly done?: () => void;
}

/** The message of an error, as the dialog shows it. */
function messageOf(error: unknown): string {
  if (error instanceof ApiError || error instanceof UnreachableError) return error.message;
  if (error instanceof SyntaxError) return `Definition (JSON): ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Asks for confirmation in a modal `<dialog>` (focus stays inside it; Escape closes it) with
 * "Confirm" and "Cancel". Confirm runs the action; a refusal shows the server's message in an
 * alert inside the dialog, next to the buttons.
 */
export function confirmAction(options: ConfirmOptions): void {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
  const titleId = uniqueId('dialog-title');
  const problem = h('p', { class: 'problem', role: 'alert' });
  problem.hidden = true;
  const confirm = h('button', { type: 'submit', class: 'primary' }, 'Confirm');
  const cancel = h('button', { type: 'button' }, 'Cancel');
  const form = h('form', { method: 'dialog' }, h('h2', { id: titleId }, options.title), ...(options.content ?? []), problem, h('div', { class: 'dialog-buttons' }, confirm, cancel));
  const dialog = h('dialog', { 'aria-labelledby': titleId }, form);

  const close = () => dialog.close();
  cancel.addEventListener('click', close);
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (opener?.isConnected) opener.focus();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    confirm.disabled = true;
    problem.hidden = true;
    options.action().then(
      () => {
        close();
        options.done?.();
      },
      (error: unknown) => {
        confirm.disabled = false;
        problem.textContent = messageOf(error);
        problem.hidden = false;
      },
    );
  });
  document.body.append(dialog);
  dialog.showModal();
}
