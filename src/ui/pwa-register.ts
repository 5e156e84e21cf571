/// <reference types="vite-plugin-pwa/client" />
// Registers the service worker that makes Mote work offline after the first visit.
import { registerSW } from 'virtual:pwa-register';

export function registerServiceWorker(onError: (message: string) => void): void {
  if (!('serviceWorker' in navigator)) return;
  registerSW({
    immediate: true,
    onRegisterError: (error: unknown) => onError(`Offline use is unavailable: the service worker did not install (${(error as Error)?.message ?? error}).`),
  });
}
