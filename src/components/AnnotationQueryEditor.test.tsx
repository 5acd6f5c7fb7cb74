import { setTemplateSrv } from '@grafana/runtime';
import { act, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import { FakeTemplateSrv } from '../testing/fakeTemplateSrv';
import { fakeDataSource } from '../testing/fixtures';
import { AnnotationQueryEditor } from './AnnotationQueryEditor';

beforeEach(() => setTemplateSrv(new FakeTemplateSrv()));

describe('AnnotationQueryEditor', () => {
  it('annotates one package’s releases, optionally some versions', async () => {
    const onChange = jest.fn();
    const datasource = fakeDataSource();
    const { rerender } = render(
      <AnnotationQueryEditor
        query={{ refId: 'Anno' }}
        onChange={onChange}
        onRunQuery={jest.fn()}
        datasource={datasource}
      />
    );
    expect(screen.getByText('Choose one package')).toBeInTheDocument();
    await userEvent.type(document.getElementById('clickpy-annotation-package') as HTMLElement, 'htt');
    await userEvent.click(await screen.findByText('httpx'));
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'Anno', queryType: 'releases', packages: ['httpx'] });

    rerender(
      <AnnotationQueryEditor
        query={{ refId: 'Anno', queryType: 'releases', packages: ['httpx'] }}
        onChange={onChange}
        onRunQuery={jest.fn()}
        datasource={datasource}
      />
    );
    await act(async () => {
      fireEvent.keyDown(document.getElementById('clickpy-versions') as HTMLElement, { key: 'ArrowDown' });
    });
    await userEvent.click(await screen.findByText('0.28.1'));
    expect(onChange).toHaveBeenLastCalledWith({
      refId: 'Anno',
      queryType: 'releases',
      packages: ['httpx'],
      versions: ['0.28.1'],
    });
  });
});
