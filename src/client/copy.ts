// Copy buttons for upgrade commands: shown only when the clipboard API is there to back them.
export function setupCopyButtons(): void {
  if (!navigator.clipboard) return;
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-copy]')) {
    const target = document.getElementById(button.dataset.copy ?? '');
    if (!target) continue;
    button.hidden = false;
    button.setAttribute('aria-label', `Copy command: ${target.textContent ?? ''}`);
    button.addEventListener('click', () => {
      navigator.clipboard.writeText(target.textContent ?? '').then(
        () => (button.textContent = 'Copied'),
        () => (button.textContent = 'Copy failed: select the text'),
      );
    });
  }
}
