/* Reads GraphiQL's settings from data attributes (instead of graphene-django's inline
   script, which the Content-Security-Policy would block) for graphene_django/graphiql.js. */
(function () {
  'use strict';
  var editor = document.getElementById('editor');
  var data = editor ? editor.dataset : {};
  window.GRAPHENE_SETTINGS = {
    subscriptionPath: data.subscriptionPath || undefined,
    graphiqlHeaderEditorEnabled: data.headerEditor !== 'false',
    graphiqlShouldPersistHeaders: data.persistHeaders === 'true',
    graphiqlInputValueDeprecation: data.inputValueDeprecation === 'true'
  };
})();
