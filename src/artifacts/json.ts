/** JSON values as stages exchange them (`data`, specifications, artifacts). */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json }
