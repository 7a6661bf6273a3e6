// Styles every component adopts (Lit adoptedStyleSheets: CSP-safe, no inline <style> in HTML).
// Colours and sizes come from the custom properties in renderer/styles.css.
import { css } from 'lit';

export const baseStyles = css`
  :host {
    box-sizing: border-box;
    font-family: var(--wc-font);
    font-size: var(--wc-font-size);
    color: var(--wc-text);
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  [hidden] {
    display: none !important;
  }
  :focus-visible {
    outline: 2px solid var(--wc-focus);
    outline-offset: 2px;
  }
  .mono {
    font-family: var(--wc-mono);
    font-size: var(--wc-font-size-small);
  }
  .muted {
    color: var(--wc-text-muted);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  button {
    font: inherit;
    color: var(--wc-text);
    background: var(--wc-surface);
    border: 1px solid var(--wc-border-strong);
    border-radius: var(--wc-radius-small);
    padding: 4px 10px;
    min-height: 28px;
    cursor: pointer;
  }
  button:hover:not(:disabled) {
    background: var(--wc-surface-2);
  }
  button.primary {
    background: var(--wc-accent);
    border-color: var(--wc-accent);
    color: var(--wc-accent-text);
    font-weight: 600;
  }
  button.primary:hover:not(:disabled) {
    background: var(--wc-accent);
    filter: brightness(1.08);
  }
  button.danger {
    color: var(--wc-danger);
  }
  button.link {
    border: none;
    background: none;
    color: var(--wc-accent);
    padding: 2px 4px;
    min-height: 0;
  }
  button.link:hover:not(:disabled) {
    background: none;
    text-decoration: underline;
  }
  button.small {
    padding: 1px 8px;
    min-height: 22px;
    font-size: var(--wc-font-size-small);
  }
  /* Disabled looks disabled in both themes: a flat neutral control with a dashed border and muted
     text. Fading with opacity was not enough: in dark mode a 55% blue Send still looked pressable.
     (Last among the button rules so it wins over .primary; WCAG 1.4.3 exempts inactive controls,
     and the muted text still reads at 4.5:1 on --wc-surface-2 in both themes.) */
  button:disabled,
  button.primary:disabled {
    background: var(--wc-surface-2);
    border-color: var(--wc-border-strong);
    border-style: dashed;
    color: var(--wc-text-muted);
    font-weight: 400;
    filter: none;
    cursor: not-allowed;
  }
  button.link:disabled {
    background: none;
    border: none;
  }
  input[type='text'],
  input[type='url'],
  input[type='number'],
  input[type='search'],
  select,
  textarea {
    font: inherit;
    color: var(--wc-text);
    background: var(--wc-surface);
    border: 1px solid var(--wc-border-strong);
    border-radius: var(--wc-radius-small);
    padding: 4px 8px;
    min-height: 28px;
  }
  textarea {
    resize: vertical;
  }
  /* Native controls in the app's colours (the file button was a grey Chromium default in dark mode). */
  input[type='checkbox'],
  input[type='radio'] {
    accent-color: var(--wc-accent);
  }
  input[type='file']::file-selector-button {
    font: inherit;
    color: var(--wc-text);
    background: var(--wc-surface);
    border: 1px solid var(--wc-border-strong);
    border-radius: var(--wc-radius-small);
    padding: 4px 10px;
    margin-right: 8px;
    cursor: pointer;
  }
  input:disabled,
  select:disabled,
  textarea:disabled {
    background: var(--wc-surface-2);
    color: var(--wc-text-muted);
    cursor: not-allowed;
  }
  input[aria-invalid='true'],
  textarea[aria-invalid='true'] {
    border-color: var(--wc-danger);
  }
  label {
    color: var(--wc-text);
  }
  .field-error {
    color: var(--wc-danger);
    font-size: var(--wc-font-size-small);
    margin: 2px 0 0;
  }
  .hint {
    color: var(--wc-text-muted);
    font-size: var(--wc-font-size-small);
    margin: 2px 0 0;
  }
  .badge {
    display: inline-block;
    padding: 0 6px;
    border-radius: 999px;
    font-size: 11px;
    line-height: 18px;
    background: var(--wc-surface-3);
    color: var(--wc-text-muted);
    font-weight: 600;
  }
  .empty {
    display: grid;
    place-content: center;
    text-align: center;
    gap: 6px;
    padding: 32px;
    color: var(--wc-text-muted);
    height: 100%;
  }
  .empty strong {
    color: var(--wc-text);
    font-size: 14px;
  }
  [role='tablist'] {
    display: flex;
    gap: 2px;
  }
  pre {
    margin: 0;
    font-family: var(--wc-mono);
    font-size: var(--wc-font-size-small);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
`;

