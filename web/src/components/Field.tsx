// A labelled form field that shows its rule's message under it and marks itself invalid; a
// control passed as its child (a select) gets the label's ID, so the label names it.

import { cloneElement, isValidElement, useId } from "react";
import type { InputHTMLAttributes, ReactElement, ReactNode } from "react";

interface Props extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  error?: string | null;
  children?: ReactNode;
}

export function Field({ label, error, children, ...input }: Props) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {isValidElement(children) ? (
        // A control of its own (a select): the label and the error are tied to it all the same.
        cloneElement(children as ReactElement<InputHTMLAttributes<HTMLElement>>, {
          id,
          "aria-invalid": error ? true : undefined,
          "aria-describedby": error ? errorId : undefined,
        })
      ) : children ?? (
        <input
          id={id}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          {...input}
        />
      )}
      {error && (
        <span id={errorId} className="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

/** The server's answer to a failed submit, as the user should read it. */
export function ServerError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p className="error" role="alert" data-testid="server-error">
      {message}
    </p>
  );
}
