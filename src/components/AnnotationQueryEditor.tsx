import { AnnotationQuery, QueryEditorProps } from '@grafana/data';
import { InlineField, InlineFieldRow, Stack, Text } from '@grafana/ui';
import React from 'react';

import type { EditorDataSource } from '../resources';
import { cleanQuery } from '../query';
import { ClickPyOptions, ClickPyQuery } from '../types';
import { LABEL_WIDTH, VersionsField } from './Filters';
import { PackagePicker, usePackageSources } from './pickers';

export type AnnotationEditorProps = QueryEditorProps<EditorDataSource, ClickPyQuery, ClickPyOptions> & {
  annotation?: AnnotationQuery<ClickPyQuery>;
  onAnnotationChange?: (annotation: AnnotationQuery<ClickPyQuery>) => void;
};

/** Annotations: a package's releases (query type releases), optionally only some versions. */
export function AnnotationQueryEditor({ query, onChange, datasource }: AnnotationEditorProps) {
  const { variables, search } = usePackageSources(datasource);
  const q: ClickPyQuery = { ...query, queryType: 'releases' };
  const change = (next: ClickPyQuery) => onChange(cleanQuery({ ...next, queryType: 'releases' }));
  const packages = q.packages ?? [];
  return (
    <Stack direction="column" gap={0.5}>
      <Text color="secondary" variant="bodySmall">
        One annotation per release: at the upload time, titled with the version.
      </Text>
      <InlineFieldRow>
        <InlineField
          label="Package"
          labelWidth={LABEL_WIDTH}
          htmlFor="clickpy-annotation-package"
          invalid={packages.length !== 1}
          error="Choose one package"
        >
          <PackagePicker
            inputId="clickpy-annotation-package"
            width={40}
            single
            value={packages}
            search={search}
            variables={variables}
            onChange={(p) => change({ ...q, packages: p })}
          />
        </InlineField>
      </InlineFieldRow>
      <InlineFieldRow>
        <VersionsField
          datasource={datasource}
          packages={packages}
          value={q.versions}
          onChange={(versions) => change({ ...q, versions })}
          variables={variables}
        />
      </InlineFieldRow>
    </Stack>
  );
}
