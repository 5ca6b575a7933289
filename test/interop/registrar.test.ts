// Registrar and location service with REGISTERs handled on the main thread (the default).
import { defineRegistrarSuite } from '../support/registrar-suite.js';

defineRegistrarSuite('registrar', {});
