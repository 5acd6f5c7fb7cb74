import { ScopedVars, TypedVariableModel } from '@grafana/data';
import { TemplateSrv } from '@grafana/runtime';

import { ALL_VALUE } from '../interpolate';

/** A dashboard variable for tests: its options and current value. */
export interface FakeVariable {
  name: string;
  options: string[];
  current: string | string[];
  multi?: boolean;
  includeAll?: boolean;
  /** Custom All value; when unset, All stands for every option. */
  allValue?: string;
}

const VARIABLE_RE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^}]+))?(?::([^}]+))?\}/g;

type Formatter = (value: unknown, variable?: unknown) => string;

/**
 * A template service that replaces variables as Grafana's does for what
 * these tests need: scoped values first, All as every option (or the custom
 * All value), multi-values through the format function (default {a,b}).
 */
export class FakeTemplateSrv implements TemplateSrv {
  constructor(private vars: FakeVariable[] = []) {}

  getVariables(): TypedVariableModel[] {
    // Only name and current are read by the plugin.
    return this.vars.map((v) => {
      const value = v.current;
      const text = Array.isArray(value) ? value.join(' + ') : value === ALL_VALUE ? 'All' : value;
      return { name: v.name, type: 'custom', current: { value, text } } as unknown as TypedVariableModel;
    });
  }

  containsTemplate(target?: string): boolean {
    if (!target) {
      return false;
    }
    for (const m of target.matchAll(VARIABLE_RE)) {
      const name = m[1] ?? m[2] ?? m[4];
      if (this.vars.some((v) => v.name === name)) {
        return true;
      }
    }
    return false;
  }

  replace(target?: string, scopedVars?: ScopedVars, format?: string | Function): string {
    if (!target) {
      return target ?? '';
    }
    return target.replace(VARIABLE_RE, (match, n1?: string, n2?: string, _f2?: string, n4?: string) => {
      const name = n1 ?? n2 ?? n4 ?? '';
      const scoped = scopedVars?.[name];
      const variable = this.vars.find((v) => v.name === name);
      let value: unknown;
      if (scoped) {
        value = scoped.value;
      } else if (variable) {
        value = variable.current;
        const all = value === ALL_VALUE || (Array.isArray(value) && value.includes(ALL_VALUE));
        if (all) {
          value = variable.allValue ?? variable.options;
        }
      } else {
        return match;
      }
      if (typeof format === 'function') {
        return (format as Formatter)(value, variable);
      }
      if (Array.isArray(value)) {
        return value.length > 1 ? `{${value.join(',')}}` : String(value[0] ?? '');
      }
      return String(value);
    });
  }

  updateTimeRange(): void {}
}
