import { type ChangeEvent, useEffect, useRef } from "react";

interface CheckboxProps {
  /** What ticking it selects, for screen readers (the table shows no text beside it). */
  label: string;
  checked: boolean;
  indeterminate?: boolean;
  onChange: (event: ChangeEvent<HTMLInputElement>) => void;
}

/** A selection checkbox; `indeterminate` (some rows of the page selected) exists only as a DOM property. */
export function Checkbox({ label, checked, indeterminate = false, onChange }: CheckboxProps) {
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (input.current) input.current.indeterminate = indeterminate && !checked;
  }, [indeterminate, checked]);
  return <input ref={input} type="checkbox" className="select" aria-label={label} checked={checked} onChange={onChange} />;
}
