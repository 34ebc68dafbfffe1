import type { ApiClient } from './api';
import type { StaffClaims } from './claims';

/** What every view gets: the API, who is signed in, the study being looked at, and a way to show a detail. */
export interface ViewContext {
  api: ApiClient;
  claims: StaffClaims;
  study: string;
  /** Replaces the view's content with a detail screen; Back returns to where the user was. */
  open(title: string, render: (container: HTMLElement) => Promise<void> | void): void;
}

/** A rendered view; stop() ends its polling when the user leaves it. */
export interface View {
  stop(): void;
}
