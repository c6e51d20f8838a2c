// report.js — the phone reporting page's one enhancement: ask the browser for
// the position and put it into the form's hidden lat/long fields, saying in
// #geo what happened.  Without this script (or without a fix) the address
// field carries the location; the form works the same.
'use strict';
(function () {
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
