// Filled in by this folder's owner.
export {};
