/**
 * The one Powertools Logger of the function. It reads its own settings (POWERTOOLS_SERVICE_NAME,
 * POWERTOOLS_LOG_LEVEL) from the environment, like the AWS SDK reads AWS_REGION and credentials: those are
 * the libraries' own contracts, not configuration of this function (which lambda/config.ts owns).
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger();
