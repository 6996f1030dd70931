// Forms marked data-confirm="question" ask it before they submit (the policy allows no inline
// onsubmit handlers).
document.addEventListener("submit", function (event) {
  "use strict";
  const question = event.target.dataset && event.target.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
