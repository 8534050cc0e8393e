import { Component, type ComponentChildren } from 'preact';
import { ErrorMessage } from './status';

/** A view that fails to render shows why, instead of leaving the page blank. */
export class ViewBoundary extends Component<{ children: ComponentChildren }, { error?: Error }> {
  override state: { error?: Error } = {};

  override componentDidCatch(error: Error) {
    this.setState({ error });
  }

  override render() {
    return this.state.error ? <ErrorMessage error={this.state.error} /> : this.props.children;
  }
}
