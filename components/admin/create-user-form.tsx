'use client';
// The admin's form for a new account: a form action with useActionState (the page passes the server action in); a
// refusal comes back as form state, its message and each field's errors tied to the inputs with aria-describedby.
import { useActionState } from 'react';

export type CreateUserFormState = { message: string | null; fieldErrors: Partial<Record<string, string[]>> };

const input = 'rounded border border-slate-300 px-2 py-1 text-sm';

export function CreateUserForm({
  action,
  labels,
  roles,
}: {
  action: (previous: CreateUserFormState, form: FormData) => Promise<CreateUserFormState>;
  labels: { username: string; displayName: string; role: string; password: string; submit: string };
  roles: ReadonlyArray<{ value: string; label: string }>;
}) {
  const [state, formAction, pending] = useActionState(action, { message: null, fieldErrors: {} });
  const describedBy = (field: string) => [state.message ? 'users-error' : null, state.fieldErrors[field]?.length ? `new-${field}-error` : null].filter(Boolean).join(' ') || undefined;
  const fieldError = (field: string) =>
    state.fieldErrors[field]?.length ? (
      <span id={`new-${field}-error`} className="col-start-2 text-xs text-danger">
        {state.fieldErrors[field].join(' ')}
      </span>
    ) : null;
  return (
    <form action={formAction} className="grid grid-cols-2 gap-2 text-sm">
      {state.message && (
        <p id="users-error" role="alert" data-testid="users-error" className="col-span-2 rounded bg-danger-soft px-3 py-2 text-sm text-danger">
          {state.message}
        </p>
      )}
      <label htmlFor="new-username">{labels.username}</label>
      <input id="new-username" name="username" required className={input} autoComplete="off" aria-describedby={describedBy('username')} />
      {fieldError('username')}
      <label htmlFor="new-display-name">{labels.displayName}</label>
      <input id="new-display-name" name="displayName" required className={input} aria-describedby={describedBy('displayName')} />
      {fieldError('displayName')}
      <label htmlFor="new-role">{labels.role}</label>
      <select id="new-role" name="role" defaultValue="viewer" className={input} aria-describedby={describedBy('role')}>
        {roles.map((role) => (
          <option key={role.value} value={role.value}>
            {role.label}
          </option>
        ))}
      </select>
      {fieldError('role')}
      <label htmlFor="new-password">{labels.password}</label>
      <input id="new-password" name="password" type="password" autoComplete="new-password" required className={input} aria-describedby={describedBy('password')} />
      {fieldError('password')}
      <span />
      <button type="submit" disabled={pending} data-testid="create-user" className="rounded bg-accent px-3 py-1 text-white hover:bg-accent-strong disabled:opacity-60">
        {labels.submit}
      </button>
    </form>
  );
}
