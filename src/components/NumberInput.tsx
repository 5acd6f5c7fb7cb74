import { Input } from '@grafana/ui';
import React, { useState } from 'react';

interface Props {
  value: number | undefined;
  /** Called with the new number, or undefined when cleared; only for valid input. */
  onCommit: (value: number | undefined) => void;
  valid: (n: number) => boolean;
  placeholder?: string;
  width?: number;
  id?: string;
}

/** A whole-number input that commits on blur or Enter, and only valid numbers. */
export function NumberInput({ value, onCommit, valid, placeholder, width, id }: Props) {
  const shown = value === undefined ? '' : String(value);
  const [text, setText] = useState(shown);
  // Follow a new value from outside (another editor, undo) as React advises:
  // during render, not in an effect.
  const [prev, setPrev] = useState(value);
  if (prev !== value) {
    setPrev(value);
    setText(shown);
  }
  const parsed = text.trim() === '' ? undefined : Number(text.trim());
  const invalid = parsed !== undefined && !valid(parsed);

  const commit = () => {
    if (invalid || parsed === value) {
      return;
    }
    onCommit(parsed);
  };
  return (
    <Input
      id={id}
      type="number"
      width={width}
      value={text}
      placeholder={placeholder}
      invalid={invalid}
      onChange={(e) => setText(e.currentTarget.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          commit();
        }
      }}
    />
  );
}
