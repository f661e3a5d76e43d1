// Moved to core (ecosystem names are checked there too); kept so that check/ imports stay where they were.
export { didYouMean } from '../core/did-you-mean.ts';
