import { Component, type ReactNode } from 'react';

interface State {
  error: Error | null;
}

/**
 * Keeps a page's rendering bug inside the page: the navigation stays, the
 * error is shown, and moving to another page (a new `resetKey`) tries again.
 * Without it, one unexpected field in an API answer blanked the whole console.
 */
export class PageErrorBoundary extends Component<{ resetKey: string; children: ReactNode }, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  componentDidUpdate(previous: { resetKey: string }): void {
    if (previous.resetKey !== this.props.resetKey && this.state.error) {
      this.setState({ error: null });
    }
  }

  render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <section role="alert">
        <h1>This page failed</h1>
        <p>
          The console could not show this page: <code>{this.state.error.message}</code>. Other pages
          still work; the navigation above is live.
        </p>
      </section>
    );
  }
}
