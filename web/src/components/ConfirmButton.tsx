// A button for a destructive action: it asks first (the browser's confirm dialog, which the
// e2e tests answer) and acts only on yes.

import type { ButtonHTMLAttributes, ReactNode } from "react";

interface Props extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, "onClick"> {
  /** The question asked, naming what goes (e.g. "Delete 3401?"). */
  question: string;
  onConfirm: () => unknown;
  children: ReactNode;
  /** How the question is put; the browser's dialog unless a test puts it otherwise. */
  ask?: (question: string) => boolean;
}

export function ConfirmButton({ question, onConfirm, children, ask = askBrowser, className = "danger", ...button }: Props) {
  const click = () => {
    if (ask(question)) void onConfirm();
  };
  return (
    <button type="button" className={className} {...button} onClick={click}>
      {children}
    </button>
  );
}

function askBrowser(question: string): boolean {
  return window.confirm(question);
}
