export { OpenAmtFleetPage } from './OpenAmtFleetPage';
