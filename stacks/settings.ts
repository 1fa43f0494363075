// The deploy settings, read once per `sst deploy` from the deploying shell (and SST's .env loading).
import { readDeploySettings } from "./deploy-settings.js";

export const settings = readDeploySettings(process.env);
