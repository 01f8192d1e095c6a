// Lets the ipywidgets embedder in _static/widgets/ render saved widget states with no network.
// Loaded after require.js and before embed-amd.js (nb_ipywidgets_js in _config.yml);
// site_tests/test_browser.py fails on the console errors this file prevents.
(function () {
  "use strict";

  // 1. The embedder finds its fonts (FontAwesome, for the widgets' icons) beside its AMD
  //    module "@jupyter-widgets/html-manager/dist/libembed-amd". RequireJS resolves that name
  //    against the page's folder, so each page asked for <page folder>/@jupyter-widgets/... (404).
  //    Point the name at _static/widgets/, where `make book` unpacks the fonts.
  var widgets = new URL("widgets", document.currentScript.src).href;
  window.require.config({ paths: { "@jupyter-widgets/html-manager/dist": widgets } });

  // 2. ipywidgets typesets widget labels with MathJax 2's MathJax.Hub.Queue(["Typeset", hub, el]);
  //    the site serves MathJax 3, which has no Hub, so every label threw a TypeError. Give each
  //    object stored in window.MathJax (Sphinx's config object, then MathJax 3 itself) a Hub whose
  //    Queue typesets with MathJax 3 once it is ready.
  var waiting = [];
  var hub = {
    Queue: function (job) {
      var mathjax = window.MathJax;
      if (mathjax.startup && mathjax.startup.promise && mathjax.typesetPromise) {
        mathjax.startup.promise.then(function () { return mathjax.typesetPromise([job[2]]); });
      } else {
        waiting.push(job[2]);  // MathJax 3 has not loaded yet
      }
    },
  };
  function withHub(value) {
    if (value && typeof value === "object" && !value.Hub) {
      value.Hub = hub;
    }
    return value;
  }
  var current = withHub(window.MathJax || {});
  Object.defineProperty(window, "MathJax", {
    configurable: true,
    enumerable: true,
    get: function () { return current; },
    set: function (value) { current = withHub(value); },
  });
  window.addEventListener("load", function () {
    var mathjax = window.MathJax;
    if (waiting.length && mathjax.startup && mathjax.startup.promise && mathjax.typesetPromise) {
      mathjax.startup.promise.then(function () { return mathjax.typesetPromise(waiting.splice(0)); });
    }
  });
})();
