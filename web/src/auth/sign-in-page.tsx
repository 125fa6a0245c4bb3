import { type FormEvent, useId, useState } from "react";

/** Shown to a signed-out visitor, or after a refused token with the reason. */
export function SignInPage({ reason, onSignIn }: { reason: string | null; onSignIn: (token: string) => void }) {
  const [value, setValue] = useState("");
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const token = value.trim();
    if (token) onSignIn(token);
  };
  return (
    <main className="page narrow">
      <h1>Sign in to showscan</h1>
      {reason && (
        <p role="alert" className="error">
          {reason}
        </p>
      )}
      <p>
        Open the login link the server printed when it first started, or paste a token an admin gave you (made with{" "}
        <code>npx showscan token</code>).
      </p>
      <form onSubmit={submit} className="stack">
        <label htmlFor={id}>Access token</label>
        <textarea id={id} value={value} onChange={(e) => setValue(e.target.value)} rows={4} spellCheck={false} autoComplete="off" />
        <button type="submit" disabled={value.trim() === ""}>
          Sign in
        </button>
      </form>
    </main>
  );
}
