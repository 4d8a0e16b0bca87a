/** Small line icons (16 px, currentColor) for the toolbar; decorative, buttons carry the names. */

const PATHS: Record<string, string> = {
  new: 'M4 2.5h5l3 3v8H4zM9 2.5v3h3M8 8v4M6 10h4',
  library: 'M3 3h3v10H3zM7 3h3v10H7zM11 4l2.5-.8 2 9.6-2.5.8z',
  examples: 'M2.5 3.5h4v4h-4zM9.5 3.5h4v4h-4zM2.5 9.5h4v4h-4zM9.5 9.5h4v4h-4z',
  import: 'M8 2v8M5 7l3 3 3-3M3 12v1.5h10V12',
  export: 'M8 10V2M5 5l3-3 3 3M3 12v1.5h10V12',
  share: 'M6.5 9.5l3-3M7 4.5l1.2-1.2a2.5 2.5 0 013.5 3.5L10.5 8M9 11.5l-1.2 1.2a2.5 2.5 0 01-3.5-3.5L5.5 8',
  undo: 'M5.5 3.5L2.5 6.5l3 3M2.5 6.5H10a3.5 3.5 0 010 7H7',
  redo: 'M10.5 3.5l3 3-3 3M13.5 6.5H6a3.5 3.5 0 000 7h3',
  connect: 'M2.5 8h8M8 5l3 3-3 3M13.5 4v8',
  delete: 'M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.7 9h5.6l.7-9',
  layout: 'M2.5 3.5h4v3h-4zM2.5 9.5h4v3h-4zM9.5 6.5h4v3h-4zM6.5 5h1.5v6H6.5M8 8h1.5',
  fit: 'M2.5 6V2.5H6M10 2.5h3.5V6M13.5 10v3.5H10M6 13.5H2.5V10',
  regions: 'M2.5 2.5h5v5h-5zM8.5 2.5h5v5h-5zM2.5 8.5h5v5h-5zM8.5 8.5h5v5h-5z',
  sun: 'M8 5a3 3 0 100 6 3 3 0 000-6zM8 1v2M8 13v2M1 8h2M13 8h2M3 3l1.4 1.4M11.6 11.6L13 13M3 13l1.4-1.4M11.6 4.4L13 3',
  moon: 'M13 10A5.5 5.5 0 016 3a5.5 5.5 0 107 7z',
  run: 'M5 3l8 5-8 5z',
  stop: 'M4 4h8v8H4z',
  pause: 'M5 3.5v9M11 3.5v9',
  step: 'M3.5 3.5l6 4.5-6 4.5zM12.5 3.5v9',
  cluster: 'M2.5 3h11v4h-11zM2.5 9h11v4h-11zM5 5h.01M5 11h.01',
  skull: 'M8 2a5 5 0 00-5 5c0 1.6.8 2.7 2 3.4V13h6v-2.6c1.2-.7 2-1.8 2-3.4a5 5 0 00-5-5zM6 7h.01M10 7h.01M7 13v-1.5M9 13v-1.5',
  search: 'M7 2.5a4.5 4.5 0 100 9 4.5 4.5 0 000-9zM10.3 10.3L13.5 13.5',
  save: 'M3 2.5h8l2 2v9H3zM5 2.5v3.5h5V2.5M5 13.5V9.5h6v4',
};

export type IconName = keyof typeof PATHS;

export function Icon({ name }: { name: IconName }) {
  return (
    <svg className="icon" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
