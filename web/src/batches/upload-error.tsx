import { explainError, rejectedFiles } from "../lib/errors";

/** Why an upload started no batch, naming each refused file with its reason. */
export function UploadError({ error }: { error: unknown }) {
  const refused = rejectedFiles(error);
  return (
    <div role="alert" className="error">
      <p>{explainError(error)}</p>
      {refused.length > 0 && (
        <ul>
          {refused.map((r) => (
            <li key={r.fileName}>
              <strong>{r.fileName}</strong>: {r.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
