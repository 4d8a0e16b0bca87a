/** Entry point of the Sluice designer (index.html loads this module). */
import '@xyflow/react/dist/style.css';
import './styles/theme.css';
import './styles/layout.css';
import './styles/controls.css';
import './styles/canvas.css';
import './styles/panels.css';
import './styles/dialogs.css';
import './styles/run.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createServices } from './app/createServices';
import { ServicesContext } from './app/services';
import { startup, watchShareLinks } from './app/startup';
import { installAutomation } from './automation';
import { AppStoreContext } from './store/appStore';
import { applyTheme } from './store/theme';

const services = createServices();
applyTheme(services.store.getState().theme);
installAutomation(services);
addEventListener('pagehide', () => void services.autosave.flush());

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');
createRoot(root).render(
  <StrictMode>
    <AppStoreContext.Provider value={services.store}>
      <ServicesContext.Provider value={services}>
        <App />
      </ServicesContext.Provider>
    </AppStoreContext.Provider>
  </StrictMode>,
);
void startup(services).then(() => watchShareLinks(services));
