// Pages live in the URL hash (`#/editor`), so reload and back/forward keep the place. A share link's
// fragment (`#toml=…`) is not a page: App hands it to the Share flow and then clears it.

export const PAGES = [
  { id: 'experiments', title: 'Experiments' },
  { id: 'editor', title: 'Editor' },
  { id: 'data', title: 'Data' },
  { id: 'train', title: 'Train' },
  { id: 'results', title: 'Results' },
  { id: 'deploy', title: 'Deploy' },
  { id: 'boards', title: 'Boards' },
  { id: 'share', title: 'Share' },
] as const;

export type PageId = (typeof PAGES)[number]['id'];

function pageFromHash(hash: string): PageId {
  const id = hash.replace(/^#\/?/, '');
  return (PAGES.find((p) => p.id === id)?.id) ?? 'editor';
}

class Router {
  page = $state<PageId>(pageFromHash(location.hash));
  /** A `#toml=` fragment found at start-up or on navigation, waiting for the user's decision. */
  sharedFragment = $state<string | null>(location.hash.startsWith('#toml=') ? location.hash : null);

  constructor() {
    addEventListener('hashchange', () => {
      if (location.hash.startsWith('#toml=')) this.sharedFragment = location.hash;
      else this.page = pageFromHash(location.hash);
    });
  }

  go(page: PageId): void {
    this.page = page;
    history.pushState(null, "", `#/${page}`);
  }

  /** Forgets the share fragment (after import or dismissal) without adding a history entry. */
  clearFragment(): void {
    this.sharedFragment = null;
    history.replaceState(null, '', `${location.pathname}${location.search}#/${this.page}`);
  }
}

export const router = new Router();
