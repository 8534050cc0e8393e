import { stepFunctions } from '@shared/aws/clients';
import { clock } from '@shared/clock';
import { httpHandler } from '@shared/http/http-handler';
import { ticketRepositoryFromEnv } from '@shared/tickets/repository-from-env';
import { createActOnTicket } from './act-on-ticket';

export const handler = httpHandler(createActOnTicket({ tickets: ticketRepositoryFromEnv(), sfn: stepFunctions(), clock }));
