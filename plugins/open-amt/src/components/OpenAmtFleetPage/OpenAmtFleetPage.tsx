import { useCallback, useEffect, useRef, useState } from 'react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import useDebounce from 'react-use/esm/useDebounce';
import {
  Content,
  ContentHeader,
  Header,
  Page,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  DeploymentSummary,
  FLEET_SORT_FIELDS,
  findProvider,
  FleetPage,
  FleetSortField,
  ProviderKind,
  TARGETS,
  TargetId,
} from '@open-amt-backstage/plugin-open-amt-common';
import { openAmtApiRef } from '../../api';
import { useLiveUpdates } from '../../hooks/useLiveUpdates';
import { HealthStatus } from '../HealthStatus';
import { LastChecked, ReleaseDrift, SimulatedChip } from '../shared';
import { DevicesConnected } from './DevicesConnected';
import { FleetCounts } from './FleetCounts';
import { EMPTY_FILTERS, FleetFilterValues, FleetFilters } from './FleetFilters';

const PAGE_SIZES = [10, 20, 50];
/** Many deployments can change at once; re-read the page at most this often on signals. */
const MIN_SIGNAL_REFRESH_MS = 5_000;

function providersText(providers: DeploymentSummary['providers']): string {
  return (['database', 'secrets', 'gateway'] as ProviderKind[])
    .map(kind => {
      const id = providers[kind];
      return id ? findProvider(kind, id)?.label ?? id : undefined;
    })
    .filter(Boolean)
    .join(' · ');
}

const columns: TableColumn<DeploymentSummary>[] = [
  {
    title: 'Deployment',
    field: 'name',
    highlight: true,
    render: row => (
      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
        <EntityRefLink entityRef={row.entityRef} defaultKind="system">
          {row.title ?? row.name}
        </EntityRefLink>
        {row.simulated && <SimulatedChip />}
      </Box>
    ),
  },
  {
    title: 'Status',
    field: 'status',
    render: row => {
      const total = Object.values(row.componentCounts ?? {}).reduce(
        (a, b) => a + b,
        0,
      );
      return (
        <>
          <HealthStatus status={row.status} />
          {total > 0 && (
            <Typography variant="caption" color="textSecondary">
              {row.componentCounts.healthy ?? 0}/{total} components healthy
            </Typography>
          )}
        </>
      );
    },
  },
  {
    title: 'Release',
    sorting: false,
    render: row => <ReleaseDrift drift={row.drift} />,
  },
  {
    title: 'Devices',
    // Sorted by the backend on the connected count.
    field: 'devices',
    render: row => <DevicesConnected devices={row.devices} />,
  },
  {
    title: 'Owner',
    field: 'owner',
    render: row =>
      row.owner ? (
        <EntityRefLink entityRef={row.owner} defaultKind="group" />
      ) : (
        '—'
      ),
  },
  {
    title: 'Target',
    field: 'target',
    sorting: false,
    render: row =>
      row.target ? TARGETS[row.target as TargetId]?.label ?? row.target : '—',
  },
  {
    title: 'Providers',
    sorting: false,
    render: row => providersText(row.providers ?? {}),
  },
  {
    title: 'Last checked',
    field: 'checkedAt',
    render: row => <LastChecked at={row.checkedAt} />,
  },
];

function orderOf(direction: string | undefined): 'asc' | 'desc' {
  return direction === 'desc' ? 'desc' : 'asc';
}

interface RemoteQuery {
  page: number;
  pageSize: number;
  orderBy?: { field?: unknown };
  orderDirection?: string;
}

/** Every Open AMT deployment with its status; filtering, search, sorting and paging run on the backend. */
export function OpenAmtFleetPage() {
  const api = useApi(openAmtApiRef);
  // material-table's instance; onQueryChange re-reads the current page.
  const tableRef = useRef<any>();
  const [filters, setFilters] = useState<FleetFilterValues>(EMPTY_FILTERS);
  const [applied, setApplied] = useState<FleetFilterValues>(EMPTY_FILTERS);
  const appliedRef = useRef(applied);
  appliedRef.current = applied;
  const [result, setResult] = useState<FleetPage>();
  const [error, setError] = useState<Error>();
  const [knownOwners, setKnownOwners] = useState<string[]>([]);

  // Typing in the search box should not send a request per key stroke.
  useDebounce(() => setApplied(filters), filters.q === applied.q ? 0 : 300, [
    filters,
  ]);

  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    tableRef.current?.onQueryChange({ page: 0 });
  }, [applied]);

  const lastSignalRefresh = useRef(0);
  useLiveUpdates(
    useCallback(() => {
      const now = Date.now();
      if (now - lastSignalRefresh.current < MIN_SIGNAL_REFRESH_MS) return;
      lastSignalRefresh.current = now;
      tableRef.current?.onQueryChange();
    }, []),
  );

  const load = useCallback(
    async (query: RemoteQuery) => {
      const f = appliedRef.current;
      const field = query.orderBy?.field;
      const sort = FLEET_SORT_FIELDS.includes(field as FleetSortField)
        ? (field as FleetSortField)
        : undefined;
      try {
        const page = await api.listDeployments({
          status: f.status,
          provider: f.provider,
          owner: f.owner,
          target: f.target,
          drift: f.drift,
          attention: f.attention,
          q: f.q.trim() || undefined,
          sort,
          order: sort && orderOf(query.orderDirection),
          // material-table counts pages from 0, the API from 1.
          page: query.page + 1,
          pageSize: query.pageSize,
        });
        setError(undefined);
        setResult(page);
        setKnownOwners(previous => {
          const owners = new Set(previous);
          page.items.forEach(item => item.owner && owners.add(item.owner));
          return owners.size === previous.length
            ? previous
            : [...owners].sort();
        });
        return {
          data: page.items,
          page: page.page - 1,
          totalCount: page.totalCount,
        };
      } catch (e) {
        setError(e as Error);
        return { data: [], page: 0, totalCount: 0 };
      }
    },
    [api],
  );

  const toggle = <K extends 'status' | 'drift' | 'attention'>(
    key: K,
    filter: FleetFilterValues[K][number],
  ) => {
    const current: string[] = filters[key];
    const next = current.includes(filter)
      ? current.filter(f => f !== filter)
      : [...current, filter];
    setFilters({ ...filters, [key]: next });
  };

  return (
    <Page themeId="tool">
      <Header
        title="Open AMT deployments"
        subtitle="Health of every Open AMT Cloud Toolkit deployment in the catalog"
      />
      <Content>
        <ContentHeader title="Fleet" />
        <FleetCounts page={result} value={filters} onToggle={toggle} />
        <FleetFilters
          value={filters}
          onChange={setFilters}
          knownOwners={knownOwners}
        />
        {error && (
          <ResponseErrorPanel
            error={error}
            title="Could not load deployments"
          />
        )}
        <Table<DeploymentSummary>
          tableRef={tableRef}
          title={`Deployments (${result?.totalCount ?? 0})`}
          columns={columns}
          data={load as any}
          options={{
            search: false,
            paging: true,
            pageSize: 20,
            pageSizeOptions: PAGE_SIZES,
            padding: 'dense',
            emptyRowsWhenPaging: false,
            debounceInterval: 0,
          }}
          localization={{
            body: {
              // Remote data never reaches the Table's emptyContent; material-table's own slot does.
              emptyDataSourceMessage: (
                <Box p={2} textAlign="left">
                  <Typography variant="body1">
                    No Open AMT deployments match.
                  </Typography>
                  <Typography variant="body2" color="textSecondary">
                    Deployments appear here once a System with the
                    open-amt.io/deployment annotation is in the catalog — create
                    one with the Open AMT production deployment template.
                  </Typography>
                </Box>
              ) as any,
            },
          }}
        />
      </Content>
    </Page>
  );
}
