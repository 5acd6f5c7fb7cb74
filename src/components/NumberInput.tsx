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

/**
 * The text of an input that commits later (on blur or Enter): what is being
 * typed, reset when the committed value changes from outside (another
 * editor, undo). Reset during render, not in an effect, as React advises.
 */
export function useDraft(committed: string): [string, (text: string) => void] {
  const [text, setText] = useState(committed);
  const [prev, setPrev] = useState(committed);
  if (prev !== committed) {
    setPrev(committed);
    setText(committed);
  }
  return [text, setText];
}

/** A whole-number input that commits on blur or Enter, and only valid numbers. */
export function NumberInput({ value, onCommit, valid, placeholder, width, id }: Props) {
  const [text, setText] = useDraft(value === undefined ? '' : String(value));
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
