import { DataSourceSettings } from '@grafana/data';
import { act, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React, { useState } from 'react';

import { ClickPyOptions, ClickPySecureOptions } from '../types';
import { ConfigEditor } from './ConfigEditor';

type Settings = DataSourceSettings<ClickPyOptions, ClickPySecureOptions>;

function settings(jsonData: ClickPyOptions, secureJsonFields: Record<string, boolean> = {}): Settings {
  return {
    id: 1,
    uid: 'clickpy',
    orgId: 1,
    name: 'ClickPy',
    typeLogoUrl: '',
    type: 'clickpy-pypi-datasource',
    typeName: 'ClickPy',
    access: 'proxy',
    url: '',
    user: '',
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- required by the type
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    jsonData,
    secureJsonFields,
    readOnly: false,
    withCredentials: false,
  };
}

/** Holds the settings as Grafana's page does, and records every change. */
function setup(initial: Settings) {
  const changes: Settings[] = [];
  function Page() {
    const [options, setOptions] = useState(initial);
    return (
      <ConfigEditor
        options={options}
        onOptionsChange={(o) => {
          changes.push(o);
          setOptions(o);
        }}
      />
    );
  }
  render(<Page />);
  const last = () => changes[changes.length - 1];
  return { changes, last };
}

describe('ConfigEditor', () => {
  it('groups the settings', () => {
    setup(settings({}));
    const legends = Array.from(document.querySelectorAll('legend')).map((l) => l.textContent);
    expect(legends).toEqual(['Server', 'TLS and authentication', 'Database', 'Limits and cache']);
  });

  it('fills in the public ClickPy instance and clears a saved password', async () => {
    const { last } = setup(settings({ host: 'old', tlsServerName: 'x', dialTimeout: '5s' }, { password: true }));
    await userEvent.click(screen.getByRole('button', { name: /public ClickPy instance/ }));
    expect(last().jsonData).toEqual({
      host: 'sql-clickhouse.clickhouse.com',
      port: 443,
      protocol: 'http',
      secure: true,
      username: 'demo',
      database: 'pypi',
      githubDatabase: 'github',
      tlsSkipVerify: false,
      dialTimeout: '5s',
    });
    expect(last().secureJsonFields.password).toBe(false);
    expect(last().secureJsonData?.password).toBe('');
    expect(screen.getByDisplayValue('sql-clickhouse.clickhouse.com')).toBeInTheDocument();
  });

  it('writes jsonData under the backend names', async () => {
    const { last } = setup(settings({}));
    const type = (el: HTMLElement, value: string) => fireEvent.change(el, { target: { value } });
    type(document.getElementById('clickpy-host') as HTMLElement, 'db.example');
    await userEvent.click(screen.getByLabelText('HTTP'));
    type(document.getElementById('clickpy-port') as HTMLElement, '8443');
    type(document.getElementById('clickpy-cache-ttl') as HTMLElement, '10m');
    await userEvent.click(screen.getByRole('button', { name: 'Add setting' }));
    type(screen.getByLabelText('Setting 1 name'), 'max_threads');
    type(screen.getByLabelText('Setting 1 value'), '4');
    expect(last().jsonData).toEqual({
      host: 'db.example',
      protocol: 'http',
      port: 8443,
      cacheTTL: '10m',
      clickhouseSettings: [{ name: 'max_threads', value: '4' }],
    });
  });

  it('keeps the password in secure data', async () => {
    const { last } = setup(settings({ host: 'h' }));
    fireEvent.change(document.getElementById('clickpy-password') as HTMLElement, { target: { value: 's3cret' } });
    expect(last().secureJsonData).toEqual({ password: 's3cret' });
    expect(last().jsonData).toEqual({ host: 'h' });
  });

  it('resets a saved secret', async () => {
    const { last } = setup(settings({ host: 'h' }, { tlsCACert: true }));
    await userEvent.click(screen.getAllByRole('button', { name: 'Reset' })[0]);
    expect(last().secureJsonFields.tlsCACert).toBe(false);
    expect(last().secureJsonData).toEqual({ tlsCACert: '' });
  });

  it('shows the TLS options with TLS on', async () => {
    setup(settings({ host: 'h' }));
    expect(screen.queryByText('CA certificate')).not.toBeInTheDocument();
    await userEvent.click(document.getElementById('clickpy-secure') as HTMLElement);
    expect(screen.getByText('CA certificate')).toBeInTheDocument();
    expect(screen.getByText('Skip TLS verification')).toBeInTheDocument();
  });

  it('validates inline', async () => {
    setup(settings({ host: 'h', queryTimeout: '1h', cacheSize: 0 }, { tlsClientCert: true }));
    expect(screen.getByText('Out of range 0 to 30m')).toBeInTheDocument();
    expect(screen.getByText(/needs its key/)).toBeInTheDocument();
    const host = document.getElementById('clickpy-host') as HTMLElement;
    fireEvent.change(host, { target: { value: '' } });
    fireEvent.blur(host);
    expect(screen.getByText(/Required/)).toBeInTheDocument();
    fireEvent.change(host, { target: { value: 'https://x' } });
    expect(screen.getByText(/without scheme or path/)).toBeInTheDocument();
  });

  it('does not greet a new data source with an error', () => {
    setup(settings({}));
    expect(screen.queryByText(/Required/)).not.toBeInTheDocument();
    fireEvent.blur(document.getElementById('clickpy-host') as HTMLElement);
    expect(screen.getByText(/Required/)).toBeInTheDocument();
  });

  it('tells Grafana whether the form is valid', () => {
    let validator: (() => boolean | Promise<boolean>) | undefined;
    const validation = {
      registerValidation: (v: () => boolean | Promise<boolean>) => {
        validator = v;
        return () => undefined;
      },
      validate: async () => true,
      isValid: () => true,
      getErrors: () => ({}),
      setError: () => undefined,
      clearError: () => undefined,
    };
    const { rerender } = render(
      <ConfigEditor
        options={settings({ port: 99999, host: 'h' })}
        onOptionsChange={() => undefined}
        validation={validation}
      />
    );
    const check = () => {
      let ok: boolean | Promise<boolean> | undefined;
      act(() => {
        ok = validator?.();
      });
      return ok;
    };
    expect(check()).toBe(false);
    rerender(
      <ConfigEditor options={settings({ host: 'h' })} onOptionsChange={() => undefined} validation={validation} />
    );
    expect(check()).toBe(true);
  });
});
