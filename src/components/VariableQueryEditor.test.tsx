import { setTemplateSrv } from '@grafana/runtime';
import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import { FakeTemplateSrv } from '../testing/fakeTemplateSrv';
import { fakeDataSource } from '../testing/fixtures';
import { ClickPyQuery } from '../types';
import { VariableQueryEditor } from './VariableQueryEditor';

beforeEach(() =>
  setTemplateSrv(new FakeTemplateSrv([{ name: 'package', options: ['requests'], current: 'requests' }]))
);

function setup(query: ClickPyQuery) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  const datasource = fakeDataSource();
  const utils = render(
    <VariableQueryEditor query={query} onChange={onChange} onRunQuery={onRunQuery} datasource={datasource} />
  );
  return { ...utils, onChange, onRunQuery, datasource };
}

describe('VariableQueryEditor', () => {
  it('lists packages by prefix', async () => {
    const { onChange } = setup({ refId: 'V', queryType: 'variable', variable: 'packages' });
    const prefix = screen.getByPlaceholderText('e.g. django-');
    await userEvent.type(prefix, 'django');
    fireEvent.blur(prefix);
    expect(onChange).toHaveBeenLastCalledWith({
      refId: 'V',
      queryType: 'variable',
      variable: 'packages',
      prefix: 'django',
    });
  });

  it('switches to versions of a package, which may be another variable', async () => {
    const { onChange, rerender, onRunQuery, datasource } = setup({
      refId: 'V',
      queryType: 'variable',
      variable: 'top_packages',
      limit: 10,
    });
    fireEvent.keyDown(document.getElementById('clickpy-variable-kind') as HTMLElement, { key: 'ArrowDown' });
    await userEvent.click(screen.getByText('Versions of a package'));
    const q = { refId: 'V', queryType: 'variable' as const, variable: 'versions' as const, limit: 10 };
    expect(onChange).toHaveBeenLastCalledWith(q);
    rerender(<VariableQueryEditor query={q} onChange={onChange} onRunQuery={onRunQuery} datasource={datasource} />);
    expect(screen.getByText('Choose one package')).toBeInTheDocument();
    await userEvent.type(document.getElementById('clickpy-variable-packages') as HTMLElement, '$pa');
    await userEvent.click(await screen.findByText('$package'));
    expect(onChange).toHaveBeenLastCalledWith({ ...q, packages: ['$package'] });
  });

  it('lists the dependents of one package, five by default', async () => {
    const { onChange, rerender, onRunQuery, datasource } = setup({
      refId: 'V',
      queryType: 'variable',
      variable: 'top_packages',
      limit: 10,
    });
    fireEvent.keyDown(document.getElementById('clickpy-variable-kind') as HTMLElement, { key: 'ArrowDown' });
    await userEvent.click(screen.getByText('Dependents of a package'));
    // top_packages' default limit was not a choice: the kind's own applies.
    const q = { refId: 'V', queryType: 'variable' as const, variable: 'dependents' as const, limit: 5 };
    expect(onChange).toHaveBeenLastCalledWith(q);
    rerender(<VariableQueryEditor query={q} onChange={onChange} onRunQuery={onRunQuery} datasource={datasource} />);
    expect(screen.getByText('Choose one package')).toBeInTheDocument();
    expect(screen.queryByText('Dependents need exactly one package')).not.toBeInTheDocument();
    await userEvent.type(document.getElementById('clickpy-variable-packages') as HTMLElement, '$pa');
    await userEvent.click(await screen.findByText('$package'));
    expect(onChange).toHaveBeenLastCalledWith({ ...q, packages: ['$package'] });
  });

  it('keeps a chosen limit when switching to dependents', async () => {
    const { onChange } = setup({
      refId: 'V',
      queryType: 'variable',
      variable: 'versions',
      packages: ['$package'],
      limit: 20,
    });
    fireEvent.keyDown(document.getElementById('clickpy-variable-kind') as HTMLElement, { key: 'ArrowDown' });
    await userEvent.click(screen.getByText('Dependents of a package'));
    expect(onChange).toHaveBeenLastCalledWith({
      refId: 'V',
      queryType: 'variable',
      variable: 'dependents',
      packages: ['$package'],
      limit: 20,
    });
  });

  it('shows the dependents kind’s default limit', () => {
    setup({ refId: 'V', queryType: 'variable', variable: 'dependents', packages: ['$package'] });
    expect(screen.getByPlaceholderText('5')).toBeInTheDocument();
    expect(screen.queryByText('Choose one package')).not.toBeInTheDocument();
  });

  it('lists a dimension’s values, with a default dimension', async () => {
    const { onChange } = setup({ refId: 'V', queryType: 'variable', variable: 'countries' });
    expect(screen.queryByLabelText('Limit')).not.toBeInTheDocument();
    fireEvent.keyDown(document.getElementById('clickpy-variable-kind') as HTMLElement, { key: 'ArrowDown' });
    await userEvent.click(screen.getByText('Dimension values'));
    expect(onChange).toHaveBeenLastCalledWith({
      refId: 'V',
      queryType: 'variable',
      variable: 'dimension',
      dimension: 'installer',
    });
  });

  it('reads a plain string as a prefix', () => {
    setup('numpy' as unknown as ClickPyQuery);
    expect(screen.getByDisplayValue('numpy')).toBeInTheDocument();
  });
});
