import { SelectableValue } from '@grafana/data';
// The react-select family is deprecated in favour of Combobox, but it is the
// async multi-select that exists in every Grafana this plugin supports
// (>= 11.6), and it renders fully in tests.
/* eslint-disable @typescript-eslint/no-deprecated */
import { AsyncMultiSelect, AsyncSelect, MultiSelect } from '@grafana/ui';
import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';

import type { EditorDataSource } from '../resources';
import { ResourceOption } from '../types';

export function toSelectable(o: ResourceOption, description?: string): SelectableValue<string> {
  return { label: o.text || o.value, value: o.value, description };
}

function valueOptions(values: string[] | undefined, known: Map<string, SelectableValue<string>>) {
  return (values ?? []).map((v) => known.get(v) ?? { label: v, value: v });
}

function selectedValues(items: Array<SelectableValue<string>>): string[] {
  const out: string[] = [];
  for (const i of items) {
    const v = (i.value ?? '').trim();
    if (v && !out.includes(v)) {
      out.push(v);
    }
  }
  return out;
}

/** Waits until typing pauses before asking the backend. */
function useDebouncedLoader<T>(load: (input: string) => Promise<T>, wait = 250): (input: string) => Promise<T> {
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(
    (input: string) =>
      new Promise<T>((resolve, reject) => {
        clearTimeout(timer.current);
        timer.current = setTimeout(() => load(input).then(resolve, reject), input ? wait : 0);
      }),
    [load, wait]
  );
}

interface PackagePickerProps {
  value: string[] | undefined;
  onChange: (packages: string[]) => void;
  search: (prefix: string) => Promise<ResourceOption[]>;
  /** Template variables to offer, as $name. */
  variables: ResourceOption[];
  single?: boolean;
  width?: number;
  inputId?: string;
  invalid?: boolean;
}

/** What every editor's package picker needs from the data source: its template variables and the package search. */
export function usePackageSources(datasource: EditorDataSource) {
  const variables = useMemo(() => datasource.resources.variableOptions(), [datasource]);
  const search = useCallback((prefix: string) => datasource.resources.searchPackages(prefix), [datasource]);
  return { variables, search };
}

/** Package names searched by prefix on the server; several for comparison unless single. */
export function PackagePicker({
  value,
  onChange,
  search,
  variables,
  single,
  width,
  inputId,
  invalid,
}: PackagePickerProps) {
  const load = useCallback(
    async (input: string): Promise<Array<SelectableValue<string>>> => {
      const typed = input.trim().toLowerCase();
      const vars = variables
        .filter((v) => v.value.toLowerCase().includes(typed))
        .map((v) => toSelectable(v, 'Template variable'));
      if (typed.startsWith('$')) {
        return vars;
      }
      const found = await search(typed);
      // Packages first: they are what the box is for; variables after.
      return [...found.map((o) => toSelectable(o)), ...vars];
    },
    [search, variables]
  );
  const loadOptions = useDebouncedLoader(load);
  const current = valueOptions(value, new Map());
  const common = {
    inputId,
    width,
    invalid,
    loadOptions,
    defaultOptions: true,
    allowCustomValue: true,
    isClearable: true,
    placeholder: single ? 'Package, e.g. requests' : 'Packages to compare, e.g. requests, httpx',
    noOptionsMessage: 'No package with that prefix',
    loadingMessage: 'Searching packages…',
  };
  if (single) {
    return (
      <AsyncSelect<string>
        {...common}
        value={current[0] ?? null}
        onChange={(item: SelectableValue<string> | null) => onChange(item?.value ? [item.value] : [])}
      />
    );
  }
  return (
    <AsyncMultiSelect<string>
      {...common}
      value={current}
      onChange={(items: Array<SelectableValue<string>>) => onChange(selectedValues(items ?? []))}
    />
  );
}

interface ListPickerProps {
  value: string[] | undefined;
  onChange: (values: string[]) => void;
  /** Loads the choices; called when the menu opens (and at once when values need labels). */
  load: () => Promise<Array<SelectableValue<string>>>;
  /** Changes when the choices do (e.g. the packages whose versions are listed). */
  loadKey: string;
  variables: ResourceOption[];
  placeholder?: string;
  width?: number;
  inputId?: string;
  /** Load at once so stored values show their labels (country names). */
  eager?: boolean;
}

/** A multi-select over a list the backend serves, loaded lazily. */
export function ListPicker({
  value,
  onChange,
  load,
  loadKey,
  variables,
  placeholder,
  width,
  inputId,
  eager,
}: ListPickerProps) {
  const [options, setOptions] = useState<Array<SelectableValue<string>>>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string>();
  const loadedKey = useRef<string>();

  const ensure = useCallback(() => {
    if (loadedKey.current === loadKey) {
      return;
    }
    loadedKey.current = loadKey;
    setLoading(true);
    setError(undefined);
    load().then(
      (opts) => {
        if (loadedKey.current === loadKey) {
          setOptions(opts);
          setLoading(false);
        }
      },
      (err: unknown) => {
        if (loadedKey.current === loadKey) {
          loadedKey.current = undefined;
          setOptions([]);
          setLoading(false);
          setError(errorText(err));
        }
      }
    );
  }, [load, loadKey]);

  useEffect(() => {
    if (eager && (value?.length ?? 0) > 0) {
      ensure();
    }
  }, [eager, value, ensure]);

  const all = useMemo(
    () => [...(options ?? []), ...variables.map((v) => toSelectable(v, 'Template variable'))],
    [variables, options]
  );
  const known = useMemo(() => new Map(all.map((o) => [o.value ?? '', o])), [all]);

  return (
    <MultiSelect<string>
      inputId={inputId}
      width={width}
      options={all}
      value={valueOptions(value, known)}
      onChange={(items: Array<SelectableValue<string>>) => onChange(selectedValues(items ?? []))}
      onOpenMenu={ensure}
      isLoading={loading}
      allowCustomValue
      isClearable
      placeholder={placeholder ?? 'All'}
      noOptionsMessage={error ? `Could not load: ${error}` : 'No values'}
    />
  );
}

export function errorText(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { data?: { error?: string; message?: string }; message?: string; statusText?: string };
    return e.data?.error ?? e.data?.message ?? e.message ?? e.statusText ?? 'request failed';
  }
  return String(err);
}
