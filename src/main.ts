import { mount } from 'svelte';
import App from './ui/App.svelte';
import { registerServiceWorker } from './ui/pwa-register';
import { workbench } from './ui/state/workbench.svelte';
import './ui/theme.css';

const target = document.getElementById('app');
if (!target) throw new Error('Mote: the page has no #app element to mount into.');
const app = mount(App, { target });
registerServiceWorker((message) => workbench.notify('error', message));
export default app;
