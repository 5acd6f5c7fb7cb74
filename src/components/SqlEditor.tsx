import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import {
  CodeEditor,
  CodeEditorSuggestionItem,
  CodeEditorSuggestionItemKind,
  Stack,
  Text,
  useStyles2,
} from '@grafana/ui';
import React, { useCallback } from 'react';

import { ResourceOption, SQL_MACROS } from '../types';

interface Props {
  value: string;
  onChange: (sql: string) => void;
  variables: ResourceOption[];
}

/** SQL with the backend's macros; commits on blur and on Ctrl/Cmd+S. */
export function SqlEditor({ value, onChange, variables }: Props) {
  const styles = useStyles2(getStyles);
  const suggestions = useCallback(
    (): CodeEditorSuggestionItem[] => [
      ...SQL_MACROS.map((m) => ({
        label: m.name.replace(/\(.*\)$/, ''),
        kind: CodeEditorSuggestionItemKind.Method,
        detail: m.description,
      })),
      ...variables.map((v) => ({ label: v.value, kind: CodeEditorSuggestionItemKind.Constant, detail: 'variable' })),
    ],
    [variables]
  );
  const commit = (sql: string) => {
    if (sql !== value) {
      onChange(sql);
    }
  };
  return (
    <Stack direction="column" gap={1}>
      <CodeEditor
        value={value}
        language="sql"
        height={200}
        showLineNumbers
        showMiniMap={false}
        onBlur={commit}
        onSave={commit}
        getSuggestions={suggestions}
      />
      <div className={styles.macros} data-testid="sql-macros">
        <Text variant="bodySmall" color="secondary">
          Runs on blur or Ctrl+S. Macros (the values they stand for are sent as query parameters):
        </Text>
        <table className={styles.table}>
          <tbody>
            {SQL_MACROS.map((m) => (
              <tr key={m.name}>
                <td>
                  <code>{m.name}</code>
                </td>
                <td>{m.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Stack>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  macros: css({
    padding: theme.spacing(0.5, 0),
  }),
  table: css({
    marginTop: theme.spacing(0.5),
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
    td: {
      padding: theme.spacing(0.25, 2, 0.25, 0),
      verticalAlign: 'top',
    },
    code: {
      fontSize: theme.typography.bodySmall.fontSize,
      whiteSpace: 'nowrap',
    },
  }),
});
