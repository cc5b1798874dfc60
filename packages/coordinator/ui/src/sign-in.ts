import { h, uniqueId } from './dom';

/**
 * The token prompt: a form named "Sign in" with a password field "API token". `reason` is the
 * server's message when it refused the token (or has none configured), shown as an alert.
 */
export function signInForm(reason: string | undefined, signIn: (token: string) => void): HTMLElement {
  const inputId = uniqueId('api-token');
  const input = h('input', { id: inputId, type: 'password', name: 'token', autocomplete: 'current-password', required: true, spellcheck: 'false' });
  const form = h(
    'form',
    { 'aria-label': 'Sign in', class: 'sign-in' },
    h('p', {}, 'The admin API needs a token. It is kept in this browser tab only, and sent with every request.'),
    reason !== undefined && h('p', { role: 'alert', class: 'problem' }, reason),
    h('label', { for: inputId }, 'API token'),
    input,
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (token !== '') signIn(token);
  });
  const section = h('section', { class: 'view' }, h('h1', {}, 'Sign in'), form);
  queueMicrotask(() => input.focus());
  return section;
}
