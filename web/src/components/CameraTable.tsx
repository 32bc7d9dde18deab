// The Device Overview: every camera of the cluster, connected or not, in overflow, or set up
// differently on the two nodes (and how), and what each node lacks of it (backfill), with a
// problems-only filter, search, sort and pages.
import { useEffect, useState } from 'react';
import { api, describeError, type CameraQuery } from '../api/client';
import type { Camera, CameraSort } from '../api/types';
import { cameraMissingText } from '../lib/backfill';
import { describeMismatch, yesNo } from '../lib/format';
import { usePoll } from '../hooks/usePoll';

const cameraPollMs = 3_000;
const searchDebounceMs = 250;
const pageSizes = [25, 50, 100] as const;
const sorts: Array<{ value: CameraSort; label: string }> = [
  { value: 'name', label: 'Name (A–Z)' },
  { value: '-name', label: 'Name (Z–A)' },
  { value: 'status', label: 'Problems first' },
];

const nodesOf = (refs: Array<{ nodeName: string }>): string => refs.map((r) => r.nodeName).join(', ');

function CameraRow({ camera }: { camera: Camera }) {
  return (
    <tr className={camera.problem ? 'problem' : undefined}>
      <th scope="row">
        {camera.name}
        {!camera.recording && camera.connected && <span className="flag flag-warn">Not recording</span>}
      </th>
      <td className={camera.connected ? undefined : 'bad'}>{yesNo(camera.connected)}</td>
      <td className={camera.disconnected ? 'bad' : undefined}>
        {yesNo(camera.disconnected)}
        {camera.disconnected && camera.disconnectedOn.length > 0 && <span className="muted"> on {nodesOf(camera.disconnectedOn)}</span>}
      </td>
      <td className={camera.overflow ? 'bad' : undefined}>
        {yesNo(camera.overflow)}
        {camera.overflow && camera.overflowOn.length > 0 && <span className="muted"> on {nodesOf(camera.overflowOn)}</span>}
      </td>
      <td className={camera.mismatched ? 'warn' : undefined}>
        {yesNo(camera.mismatched)}
        {camera.mismatches.length > 0 && (
          <ul className="mismatches">
            {camera.mismatches.map((m) => (
              <li key={m.setting}>{describeMismatch(m)}</li>
            ))}
          </ul>
        )}
      </td>
      <td>{camera.pairName ?? '—'}</td>
      <td className={camera.nodes.some((n) => (n.missingSeconds ?? 0) > 0) ? 'warn' : undefined} data-testid="camera-missing">
        {cameraMissingText(camera.nodes)}
      </td>
    </tr>
  );
}

export function CameraTable({ clusterId }: { clusterId: string }) {
  const [problems, setProblems] = useState(false);
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const [sort, setSort] = useState<CameraSort>('name');
  const [limit, setLimit] = useState<number>(25);
  const [offset, setOffset] = useState(0);

  // Searching asks the controller once typing pauses, from the first page.
  useEffect(() => {
    const timer = setTimeout(() => {
      setQ(search);
      setOffset(0);
    }, searchDebounceMs);
    return () => clearTimeout(timer);
  }, [search]);

  const query: CameraQuery = { problems, q, sort, limit, offset };
  const key = `${clusterId}|${problems}|${q}|${sort}|${limit}|${offset}`;
  // The key holds every input, so a change starts a fresh poll at once.
  const { data, error } = usePoll((signal) => api.cameras(clusterId, query, signal), cameraPollMs, key);

  const total = data?.total ?? 0;
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(offset + limit, total);

  return (
    <section className="panel cameras" aria-labelledby="cameras-title">
      <header className="panel-head">
        <h3 id="cameras-title">Device Overview</h3>
        <div className="toolbar" role="group" aria-label="Camera filters">
          <label className="check">
            <input type="checkbox" checked={problems} onChange={(e) => { setProblems(e.target.checked); setOffset(0); }} />
            Problems only
          </label>
          <label>
            Search
            <input type="search" placeholder="Camera name or id" value={search} maxLength={64} onChange={(e) => setSearch(e.target.value)} />
          </label>
          <label>
            Sort
            <select value={sort} onChange={(e) => { setSort(e.target.value as CameraSort); setOffset(0); }}>
              {sorts.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            Per page
            <select value={limit} onChange={(e) => { setLimit(Number(e.target.value)); setOffset(0); }}>
              {pageSizes.map((size) => (
                <option key={size} value={size}>
                  {size}
                </option>
              ))}
            </select>
          </label>
        </div>
      </header>
      {error !== null && <p role="alert" className="error">Cameras: {describeError(error)}</p>}
      <table className="grid" aria-label="Cameras">
        <thead>
          <tr>
            <th scope="col">Camera name</th>
            <th scope="col">Connected</th>
            <th scope="col">Disconnected</th>
            <th scope="col">Overflow</th>
            <th scope="col">Mismatched</th>
            <th scope="col">Pair name</th>
            <th scope="col" title="What each node lacks of this camera's recordings that its peer holds (its agent's gap audit)">
              Missing data
            </th>
          </tr>
        </thead>
        <tbody>
          {data?.items.map((camera) => <CameraRow key={camera.cameraId} camera={camera} />)}
          {data !== null && data.items.length === 0 && (
            <tr>
              <td colSpan={7} className="empty">
                {problems || q !== '' ? 'No camera matches.' : 'No cameras reported.'}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <nav className="pager" aria-label="Camera pages">
        <span aria-live="polite">{data === null ? 'Loading…' : `${first}–${last} of ${total}`}</span>
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - limit))}>
          Previous page
        </button>
        <button type="button" disabled={offset + limit >= total} onClick={() => setOffset(offset + limit)}>
          Next page
        </button>
      </nav>
    </section>
  );
}
