// report.js — the phone reporting page's enhancements; the form works the
// same without them (the server keeps what was typed and re-renders the
// category's fields on a round trip).
//  - the position: ask the browser for it and put it into the hidden
//    lat/long fields, saying in #geo what happened (without it, or without a
//    fix, the address field carries the location);
//  - the category's own fields: show and enable the fieldset of the chosen
//    category, hide and disable the others (a disabled fieldset is neither
//    checked nor sent), and take away the "update the form" button (so the
//    form's default button, the one Enter presses, is the report's own);
//  - a photo kept from a refused post: show it, and drop it once another is
//    chosen.
'use strict';
(function () {
  var sel = document.getElementById('category');
  var sets = document.querySelectorAll('fieldset.attrs');
  var refresh = document.getElementById('refresh');
  function show() {
    for (var i = 0; i < sets.length; i++) {
      var on = sets[i].getAttribute('data-category') === sel.value;
      sets[i].hidden = !on;
      sets[i].disabled = !on;
    }
  }
  if (sel) {
    sel.addEventListener('change', show);
    show();
    if (refresh) refresh.remove();
  }

  var kept = document.getElementById('photo_kept');
  var img = document.getElementById('kept-img');
  var file = document.getElementById('photo');
  if (kept && img && kept.value) {
    img.src = 'data:' + kept.getAttribute('data-mime') + ';base64,' + kept.value;
    img.hidden = false;
  }
  if (kept && file) {
    file.addEventListener('change', function () {
      if (!file.files.length) return;
      kept.value = '';
      var box = document.getElementById('kept');
      if (box) box.hidden = true;
    });
  }

  var geo = document.getElementById('geo');
  var lat = document.getElementById('lat');
  var lon = document.getElementById('long');
  if (!geo || !lat || !lon || !navigator.geolocation) return;
  geo.textContent = geo.getAttribute('data-wait');
  navigator.geolocation.getCurrentPosition(function (p) {
    lat.value = p.coords.latitude.toFixed(6);
    lon.value = p.coords.longitude.toFixed(6);
    geo.textContent = geo.getAttribute('data-ok') + ' ' + lat.value + ', ' + lon.value;
  }, function () {
    geo.textContent = geo.getAttribute('data-fail');
  }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
})();
