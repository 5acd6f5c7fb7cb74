import { css } from '@emotion/css';
import { DataSourcePluginOptionsEditorProps, GrafanaTheme2 } from '@grafana/data';
import {
  Button,
  Field,
  FieldSet,
  FieldValidationMessage,
  IconButton,
  Input,
  RadioButtonGroup,
  SecretInput,
  SecretTextArea,
  Stack,
  Switch,
  Text,
  useStyles2,
} from '@grafana/ui';
import React, { ChangeEvent, FormEvent, useEffect, useMemo, useState } from 'react';

import { ClickHouseSetting, ClickPyOptions, ClickPySecureOptions, PUBLIC_CLICKPY } from '../types';
import { SecretState, defaultPort, validateSettings } from '../validation';

export type ConfigEditorProps = DataSourcePluginOptionsEditorProps<ClickPyOptions, ClickPySecureOptions>;

type SecretKey = keyof ClickPySecureOptions;

const WIDTH = 40;

const protocolOptions = [
  { label: 'Native', value: 'native' as const, description: 'ClickHouse native protocol (TCP 9000, 9440 with TLS)' },
  { label: 'HTTP', value: 'http' as const, description: 'ClickHouse HTTP interface (8123, 8443 with TLS)' },
];

export function ConfigEditor({ options, onOptionsChange, validation }: ConfigEditorProps) {
  const styles = useStyles2(getStyles);
  const j = options.jsonData;
  const secureFields = options.secureJsonFields ?? {};
  const secureData = options.secureJsonData ?? {};
  const [hostTouched, setHostTouched] = useState(false);

  const secretSet = (k: SecretKey) => !!secureFields[k] || !!secureData[k];
  const secrets: SecretState = {
    password: secretSet('password'),
    tlsCACert: secretSet('tlsCACert'),
    tlsClientCert: secretSet('tlsClientCert'),
    tlsClientKey: secretSet('tlsClientKey'),
  };
  const errors = validateSettings(j, secrets);
  const shownErrors = { ...errors };
  if (!hostTouched && !(j.host ?? '').trim()) {
    // Do not greet a new data source with an error.
    delete shownErrors.host;
  }
  const errorCount = Object.keys(errors).length;

  // Grafana's Save & test asks registered validators first (where supported).
  const valid = errorCount === 0;
  useEffect(() => {
    if (!validation) {
      return;
    }
    return validation.registerValidation(() => {
      setHostTouched(true);
      return valid;
    });
  }, [validation, valid]);

  const setJson = (patch: Partial<ClickPyOptions>) => {
    const jsonData: ClickPyOptions = { ...j, ...patch };
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === '') {
        delete jsonData[k as keyof ClickPyOptions];
      }
    }
    onOptionsChange({ ...options, jsonData });
  };
  const text = (
    k:
      | 'host'
      | 'tlsServerName'
      | 'username'
      | 'database'
      | 'githubDatabase'
      | 'dialTimeout'
      | 'queryTimeout'
      | 'cacheTTL'
      | 'maxResultBytes'
  ) => ({
    value: String(j[k] ?? ''),
    onChange: (e: ChangeEvent<HTMLInputElement>) => setJson({ [k]: e.currentTarget.value }),
  });
  const num = (k: 'port' | 'maxOpenConns' | 'cacheSize') => ({
    type: 'number',
    value: j[k] === undefined ? '' : String(j[k]),
    onChange: (e: ChangeEvent<HTMLInputElement>) => {
      const v = e.currentTarget.value.trim();
      setJson({ [k]: v === '' ? undefined : Number(v) });
    },
  });
  const secret = (k: SecretKey) => ({
    isConfigured: !!secureFields[k],
    value: secureData[k] ?? '',
    onReset: () =>
      onOptionsChange({
        ...options,
        secureJsonFields: { ...secureFields, [k]: false },
        secureJsonData: { ...secureData, [k]: '' },
      }),
    onChange: (e: FormEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      onOptionsChange({ ...options, secureJsonData: { ...secureData, [k]: e.currentTarget.value } }),
  });

  const usePublic = () => {
    setHostTouched(true);
    const jsonData: ClickPyOptions = { ...j, ...PUBLIC_CLICKPY, tlsSkipVerify: false };
    delete jsonData.tlsServerName;
    onOptionsChange({
      ...options,
      jsonData,
      // The public instance's demo user has no password.
      secureJsonFields: { ...secureFields, password: false },
      secureJsonData: { ...secureData, password: '' },
    });
  };

  const settings = useMemo(() => j.clickhouseSettings ?? [], [j.clickhouseSettings]);
  const setSettings = (list: ClickHouseSetting[]) => setJson({ clickhouseSettings: list.length ? list : undefined });

  const port = defaultPort(j.protocol, j.secure);
  // TLS options matter only over TLS; they stay visible while any is set.
  const showTLS =
    !!j.secure ||
    !!j.tlsSkipVerify ||
    !!j.tlsServerName ||
    secrets.tlsCACert ||
    secrets.tlsClientCert ||
    secrets.tlsClientKey;

  return (
    <div className={styles.page}>
      <div className={styles.intro}>
        <Text element="p" color="secondary">
          Connects to a ClickHouse server holding ClickPy&apos;s tables: your own, ClickHouse Cloud, or the public
          ClickPy instance.
        </Text>
      </div>

      <FieldSet label="Server">
        <div className={styles.preset}>
          <Button variant="secondary" icon="cloud" onClick={usePublic} type="button">
            Use the public ClickPy instance
          </Button>
          <Text color="secondary" variant="bodySmall">
            {PUBLIC_CLICKPY.host}, HTTPS on port {PUBLIC_CLICKPY.port}, user {PUBLIC_CLICKPY.username}, no password. It
            caps rows read per query: large ranges over the raw table fail rather than return low counts.
          </Text>
        </div>
        <Field
          label="Host"
          description="Host name or IP, without scheme; replicas separated by commas, each with an optional :port"
          required
          invalid={!!shownErrors.host}
          error={shownErrors.host}
        >
          <Input
            id="clickpy-host"
            width={WIDTH}
            placeholder="clickhouse.example.com"
            {...text('host')}
            onBlur={() => setHostTouched(true)}
          />
        </Field>
        <Field label="Protocol">
          <RadioButtonGroup
            options={protocolOptions}
            value={j.protocol ?? 'native'}
            onChange={(protocol) => setJson({ protocol })}
          />
        </Field>
        <Field label="Secure (TLS)" description="Connect over TLS (HTTPS for the HTTP protocol)">
          <Switch
            id="clickpy-secure"
            value={j.secure ?? false}
            onChange={(e) => setJson({ secure: e.currentTarget.checked })}
          />
        </Field>
        <Field label="Port" description={`Empty means ${port}`} invalid={!!errors.port} error={errors.port}>
          <Input id="clickpy-port" width={20} placeholder={String(port)} {...num('port')} />
        </Field>
      </FieldSet>

      <FieldSet label="TLS and authentication">
        <Field label="Username" description="Empty means the server's default user">
          <Input id="clickpy-username" width={WIDTH} placeholder="default" {...text('username')} />
        </Field>
        <Field label="Password">
          <SecretInput id="clickpy-password" width={WIDTH} placeholder="Password" {...secret('password')} />
        </Field>
        {showTLS && (
          <>
            <Field label="Skip TLS verification" description="Accept any server certificate (testing only)">
              <Switch
                id="clickpy-tls-skip-verify"
                value={j.tlsSkipVerify ?? false}
                onChange={(e) => setJson({ tlsSkipVerify: e.currentTarget.checked })}
              />
            </Field>
            <Field label="TLS server name" description="Name to verify the certificate against, when not the host">
              <Input id="clickpy-tls-server-name" width={WIDTH} {...text('tlsServerName')} />
            </Field>
            <Field label="CA certificate" description="PEM; empty means the system's roots">
              <SecretTextArea
                id="clickpy-tls-ca-cert"
                cols={60}
                rows={4}
                placeholder="-----BEGIN CERTIFICATE-----"
                {...secret('tlsCACert')}
              />
            </Field>
            <Field
              label="Client certificate"
              description="PEM, for mutual TLS"
              invalid={!!errors.tlsClientCert}
              error={errors.tlsClientCert}
            >
              <SecretTextArea
                id="clickpy-tls-client-cert"
                cols={60}
                rows={4}
                placeholder="-----BEGIN CERTIFICATE-----"
                {...secret('tlsClientCert')}
              />
            </Field>
            <Field label="Client key" description="PEM" invalid={!!errors.tlsClientKey} error={errors.tlsClientKey}>
              <SecretTextArea
                id="clickpy-tls-client-key"
                cols={60}
                rows={4}
                placeholder="-----BEGIN PRIVATE KEY-----"
                {...secret('tlsClientKey')}
              />
            </Field>
          </>
        )}
        {!showTLS && (
          <Text element="p" color="secondary" variant="bodySmall">
            Turn on Secure (TLS) under Server for certificates and verification options.
          </Text>
        )}
      </FieldSet>

      <FieldSet label="Database">
        <Field
          label="Database"
          description="The database holding ClickPy's tables"
          invalid={!!errors.database}
          error={errors.database}
        >
          <Input id="clickpy-database" width={WIDTH} placeholder="pypi" {...text('database')} />
        </Field>
        <Field
          label="GitHub database"
          description="The database holding ClickPy's GitHub tables (github on the public instance); empty: the database above"
          invalid={!!errors.githubDatabase}
          error={errors.githubDatabase}
        >
          <Input
            id="clickpy-github-database"
            width={WIDTH}
            placeholder="same as Database"
            {...text('githubDatabase')}
          />
        </Field>
        <Field label="ClickHouse settings" description="Sent with every query, e.g. max_threads = 4">
          <Stack direction="column" gap={1}>
            {settings.map((s, i) => {
              const err = errors[`clickhouseSettings.${i}`];
              return (
                <div key={i}>
                  <Stack direction="row" gap={1} alignItems="center">
                    <Input
                      aria-label={`Setting ${i + 1} name`}
                      width={30}
                      placeholder="name"
                      invalid={!!err}
                      value={s.name}
                      onChange={(e) =>
                        setSettings(settings.map((x, k) => (k === i ? { ...x, name: e.currentTarget.value } : x)))
                      }
                    />
                    <Input
                      aria-label={`Setting ${i + 1} value`}
                      width={30}
                      placeholder="value"
                      value={s.value}
                      onChange={(e) =>
                        setSettings(settings.map((x, k) => (k === i ? { ...x, value: e.currentTarget.value } : x)))
                      }
                    />
                    <IconButton
                      name="trash-alt"
                      tooltip="Remove this setting"
                      onClick={() => setSettings(settings.filter((_, k) => k !== i))}
                    />
                  </Stack>
                  {err && <FieldValidationMessage>{err}</FieldValidationMessage>}
                </div>
              );
            })}
            <div>
              <Button
                variant="secondary"
                size="sm"
                icon="plus"
                type="button"
                onClick={() => setSettings([...settings, { name: '', value: '' }])}
              >
                Add setting
              </Button>
            </div>
          </Stack>
        </Field>
      </FieldSet>

      <FieldSet label="Limits and cache">
        <Field
          label="Dial timeout"
          description="Connecting; e.g. 10s, at most 30m"
          invalid={!!errors.dialTimeout}
          error={errors.dialTimeout}
        >
          <Input id="clickpy-dial-timeout" width={20} placeholder="10s" {...text('dialTimeout')} />
        </Field>
        <Field
          label="Query timeout"
          description="Per query, from its arrival to its answer; the driver sends max_execution_time from it; at most 30m"
          invalid={!!errors.queryTimeout}
          error={errors.queryTimeout}
        >
          <Input id="clickpy-query-timeout" width={20} placeholder="60s" {...text('queryTimeout')} />
        </Field>
        <Field
          label="Max open connections"
          description="Connection pool size, 1 to 1000"
          invalid={!!errors.maxOpenConns}
          error={errors.maxOpenConns}
        >
          <Input id="clickpy-max-open-conns" width={20} placeholder="10" {...num('maxOpenConns')} />
        </Field>
        <Field
          label="Cache TTL"
          description="How long results are reused; 0s turns the cache off, at most 24h"
          invalid={!!errors.cacheTTL}
          error={errors.cacheTTL}
        >
          <Input id="clickpy-cache-ttl" width={20} placeholder="5m" {...text('cacheTTL')} />
        </Field>
        <Field
          label="Cache size"
          description="Results kept, 1 to 1000000"
          invalid={!!errors.cacheSize}
          error={errors.cacheSize}
        >
          <Input id="clickpy-cache-size" width={20} placeholder="2000" {...num('cacheSize')} />
        </Field>
        <Field
          label="Max result size"
          description="The most one answer may take, on the server and in the plugin; e.g. 64MiB, 64 KiB to 1 GiB"
          invalid={!!errors.maxResultBytes}
          error={errors.maxResultBytes}
        >
          <Input id="clickpy-max-result-bytes" width={20} placeholder="64MiB" {...text('maxResultBytes')} />
        </Field>
      </FieldSet>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({
    maxWidth: 880,
  }),
  preset: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  }),
  intro: css({
    marginBottom: theme.spacing(3),
  }),
});
