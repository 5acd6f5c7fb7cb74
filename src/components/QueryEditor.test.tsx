import { FieldType, LoadingState, PanelData, createDataFrame, getDefaultTimeRange } from '@grafana/data';
import { setTemplateSrv } from '@grafana/runtime';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import { FakeTemplateSrv } from '../testing/fakeTemplateSrv';
import { fakeDataSource } from '../testing/fixtures';
import { ClickPyQuery } from '../types';
import { QueryEditor } from './QueryEditor';

// Monaco does not run in jsdom: a textarea stands in for the code editor.
jest.mock('@grafana/ui', () => {
  const actual = jest.requireActual('@grafana/ui');
  const mockReact = jest.requireActual('react');
  return {
    ...actual,
    CodeEditor: ({ value, onBlur }: { value: string; onBlur?: (v: string) => void }) =>
      mockReact.createElement('textarea', {
        'aria-label': 'SQL',
        defaultValue: value,
        onBlur: (e: { currentTarget: { value: string } }) => onBlur?.(e.currentTarget.value),
      }),
  };
});

beforeEach(() => {
  setTemplateSrv(new FakeTemplateSrv([{ name: 'package', options: ['requests'], current: 'requests' }]));
});

function setup(query: Partial<ClickPyQuery>, data?: PanelData) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  const datasource = fakeDataSource();
  const utils = render(
    <QueryEditor
      query={{ refId: 'A', ...query }}
      onChange={onChange}
      onRunQuery={onRunQuery}
      datasource={datasource}
      data={data}
    />
  );
  return { ...utils, onChange, onRunQuery, datasource };
}

async function openSelect(id: string) {
  const input = document.getElementById(id);
  if (!input) {
    throw new Error(`no input #${id}`);
  }
  fireEvent.keyDown(input, { key: 'ArrowDown' });
  return input;
}

describe('QueryEditor', () => {
  it('shows the query type with its description and switches type', async () => {
    const { onChange, onRunQuery } = setup({ queryType: 'timeseries', packages: ['requests', 'httpx'] });
    expect(screen.getByTestId('clickpy-type-description')).toHaveTextContent('Downloads over time');
    await openSelect('clickpy-query-type');
    expect(screen.getByText('A package’s rank, top N% and percentile among all packages')).toBeInTheDocument();
    await userEvent.click(screen.getByText('Ranking'));
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', queryType: 'ranking', packages: ['requests'] });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('searches packages on the server and adds several for comparison', async () => {
    const { onChange, onRunQuery, datasource, rerender } = setup({ queryType: 'timeseries' });
    const search = jest.spyOn(datasource.resources, 'searchPackages');
    const input = document.getElementById('clickpy-packages') as HTMLInputElement;
    await userEvent.type(input, 'req');
    await waitFor(() => expect(search).toHaveBeenLastCalledWith('req'));
    await userEvent.click(await screen.findByText('requests-toolbelt'));
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: 'timeseries', packages: ['requests-toolbelt'] });
    expect(onRunQuery).toHaveBeenCalled();

    rerender(
      <QueryEditor
        query={{ refId: 'A', queryType: 'timeseries', packages: ['requests-toolbelt'] }}
        onChange={onChange}
        onRunQuery={onRunQuery}
        datasource={datasource}
      />
    );
    await userEvent.type(input, 'htt');
    await userEvent.click(await screen.findByText('httpx'));
    expect(onChange).toHaveBeenLastCalledWith({
      refId: 'A',
      queryType: 'timeseries',
      packages: ['requests-toolbelt', 'httpx'],
    });
  });

  it('offers dashboard variables as packages', async () => {
    setup({ queryType: 'timeseries' });
    await userEvent.type(document.getElementById('clickpy-packages') as HTMLInputElement, '$');
    expect(await screen.findByText('$package')).toBeInTheDocument();
  });

  it('lists versions of each chosen package', async () => {
    const { onChange } = setup({ queryType: 'timeseries', packages: ['requests', 'httpx'] });
    await act(() => openSelect('clickpy-versions'));
    expect(await screen.findByText('2.31.0')).toBeInTheDocument();
    // 2.32.3 exists in both packages' lists.
    expect(screen.getByText('requests, httpx')).toBeInTheDocument();
    await userEvent.click(screen.getByText('0.28.1'));
    expect(onChange).toHaveBeenLastCalledWith({
      refId: 'A',
      queryType: 'timeseries',
      packages: ['requests', 'httpx'],
      versions: ['0.28.1'],
    });
  });

  it('filters countries by name and other dimensions by value', async () => {
    const { onChange } = setup({ queryType: 'breakdown', dimension: 'system' });
    await act(() => openSelect('clickpy-countries'));
    await userEvent.click(await screen.findByText('Germany'));
    expect(onChange).toHaveBeenLastCalledWith({
      refId: 'A',
      queryType: 'breakdown',
      dimension: 'system',
      countries: ['DE'],
    });
    await act(() => openSelect('clickpy-python_minors'));
    await userEvent.click(await screen.findByText('3.12'));
    expect(onChange).toHaveBeenLastCalledWith({
      refId: 'A',
      queryType: 'breakdown',
      dimension: 'system',
      python_minors: ['3.12'],
    });
    await userEvent.click(document.getElementById('clickpy-exclude-mirrors') as HTMLElement);
    expect(onChange).toHaveBeenLastCalledWith({
      refId: 'A',
      queryType: 'breakdown',
      dimension: 'system',
      excludeMirrors: true,
    });
  });

  it('counts over all time when asked', async () => {
    const { onChange } = setup({ queryType: 'totals' });
    await userEvent.click(document.getElementById('clickpy-all-time') as HTMLElement);
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: 'totals', allTime: true });
  });

  it('offers no all-time switch where the range does not count downloads', () => {
    setup({ queryType: 'details', packages: ['requests'] });
    expect(document.getElementById('clickpy-all-time')).toBeNull();
  });

  it('shows country names for stored codes', async () => {
    setup({ queryType: 'timeseries', countries: ['FR'] });
    expect(await screen.findByText('France')).toBeInTheDocument();
  });

  it('sets breakdown, limit and granularity of a time series', async () => {
    const { onChange, onRunQuery, rerender, datasource } = setup({ queryType: 'timeseries', packages: ['requests'] });
    expect(screen.queryByLabelText('Limit')).not.toBeInTheDocument();
    await openSelect('clickpy-breakdown');
    await userEvent.click(screen.getByText('Python minor'));
    expect(onChange).toHaveBeenLastCalledWith({
      refId: 'A',
      queryType: 'timeseries',
      packages: ['requests'],
      breakdown: 'python_minor',
    });
    const q: ClickPyQuery = { refId: 'A', queryType: 'timeseries', packages: ['requests'], breakdown: 'python_minor' };
    rerender(<QueryEditor query={q} onChange={onChange} onRunQuery={onRunQuery} datasource={datasource} />);
    const limit = document.getElementById('clickpy-limit') as HTMLInputElement;
    await userEvent.type(limit, '5');
    fireEvent.blur(limit);
    expect(onChange).toHaveBeenLastCalledWith({ ...q, limit: 5 });
    await userEvent.clear(limit);
    await userEvent.type(limit, '5000');
    fireEvent.blur(limit);
    expect(onChange).not.toHaveBeenCalledWith({ ...q, limit: 5000 });
    await userEvent.click(screen.getByLabelText('Week'));
    expect(onChange).toHaveBeenLastCalledWith({ ...q, granularity: 'week' });
    expect(onRunQuery).toHaveBeenCalledTimes(3);
  });

  it('edits SQL on blur and lists the macros', async () => {
    const { onChange, onRunQuery } = setup({ queryType: 'sql', rawSql: 'SELECT 1' });
    expect(screen.getByTestId('sql-macros')).toHaveTextContent('$__table(col, ...)');
    expect(screen.getByTestId('sql-macros')).toHaveTextContent('$__timeFilter(col)');
    const sql = screen.getByLabelText('SQL');
    fireEvent.blur(sql, { target: { value: 'SELECT 2' } });
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', queryType: 'sql', rawSql: 'SELECT 2' });
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('says what an incomplete query lacks', () => {
    setup({ queryType: 'summary' });
    expect(screen.getByTestId('clickpy-query-problem')).toHaveTextContent('Summary needs at least one package');
  });

  it('shows which view answered, from the frame meta', () => {
    const frame = createDataFrame({
      refId: 'A',
      fields: [{ name: 'time', type: FieldType.time, values: [] }],
      meta: {
        executedQueryString: 'SELECT 1 FROM pypi.pypi_downloads_per_day_by_version WHERE 1',
        notices: [{ severity: 'info', text: 'partial bucket: the last week is still in progress' }],
      },
    });
    const data: PanelData = { state: LoadingState.Done, series: [frame], timeRange: getDefaultTimeRange() };
    setup({ queryType: 'timeseries', packages: ['requests'] }, data);
    expect(screen.getByTestId('clickpy-source-hint')).toHaveTextContent(
      'Answered from pypi_downloads_per_day_by_version. Partial bucket: the last week is still in progress'
    );
  });
});
