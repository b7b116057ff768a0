/*! SegmentPress personalization | GPL-2.0-or-later */
// The page (possibly from a full-page cache) holds the same markup for everyone: a non-personal
// recommendations list and both variants of targeted content. This replaces the list with the
// visitor's own (GET /v1/recommendations, write key) and reveals the variant for the visitor's
// segments (GET /v1/visitors/{anonymousId}/segments). It runs after tracker.js, uses its
// anonymous id only when tracking is allowed, and sends impressions and clicks through its queue.
(function (w, d) {
	var c = w.segmentpressConfig, sp = w.segmentpress, id, recs = {}, segs;
	if (!c || !c.url || !c.writeKey || !sp || !sp.id) return;
	id = sp.id();
	if (!id) return; // no consent or a skipped browser: the non-personal markup stays

	function get(path) {
		return fetch(c.url + path, { headers: { Authorization: 'Bearer ' + c.writeKey }, credentials: 'omit' }).then(function (r) {
			return r.ok ? r.json() : Promise.reject(new Error('HTTP ' + r.status));
		});
	}

	function list(count, context) {
		var key = count + ':' + context;
		recs[key] = recs[key] || get('/v1/recommendations?visitor=' + encodeURIComponent(id) + '&limit=' + count + (context > 0 ? '&context=' + context : ''));
		return recs[key];
	}

	// Segments from the visitor endpoint; a recommendations answer carries them too.
	function segments() {
		segs = segs || get('/v1/visitors/' + encodeURIComponent(id) + '/segments').catch(function () {
			var first = Object.keys(recs)[0];
			return first ? recs[first] : list(1, c.postId || 0);
		});
		return segs;
	}

	function keys(v) { return (v || '').split(',').filter(Boolean); }

	function fill(box, answer) {
		var ol = box.querySelector('.segmentpress-recs__items'), items = (answer.items || []).filter(function (it) {
			return it && /^https?:\/\//i.test(it.url) && it.contentId;
		});
		if (!ol || !items.length) return;
		ol.textContent = '';
		items.forEach(function (it, i) {
			var li = d.createElement('li'), a = d.createElement('a');
			li.className = 'segmentpress-recs__item';
			li.setAttribute('data-content-id', it.contentId);
			a.className = 'segmentpress-recs__link';
			a.href = it.url;
			a.textContent = it.title;
			if (it.reason) a.title = it.reason; // "Because you read about Deals"
			a.setAttribute('data-position', i + 1);
			li.appendChild(a);
			ol.appendChild(li);
		});
		box.setAttribute('data-rec-id', answer.recId);
		box.setAttribute('data-variant', answer.variant || '');
		box.setAttribute('data-personal', '1');
		var seen = { rec_id: answer.recId, post_ids: items.map(function (it) { return it.contentId; }), variant: answer.variant };
		function viewed() { sp.track('Recommendation Viewed', seen); }
		if (w.IntersectionObserver) {
			var io = new IntersectionObserver(function (entries) {
				if (entries.some(function (e) { return e.isIntersecting; })) { io.disconnect(); viewed(); }
			}, { threshold: 0.5 });
			io.observe(box);
		} else viewed();
		function clicked(e) {
			var a = e.target.closest && e.target.closest('a.segmentpress-recs__link');
			if (!a || (e.type == 'auxclick' && e.button != 1)) return;
			sp.track('Recommendation Clicked', { rec_id: answer.recId, post_id: +a.parentNode.getAttribute('data-content-id'),
				position: +a.getAttribute('data-position'), variant: answer.variant });
		}
		ol.addEventListener('click', clicked);
		ol.addEventListener('auxclick', clicked);
	}

	function reveal(box, answer) {
		var have = answer.segments || [], want = keys(box.getAttribute('data-segments')), stages = keys(box.getAttribute('data-stages'));
		var inAny = function (k) { return have.indexOf(k) >= 0 || answer.stage == k; };
		var match = (!want.length || want.some(inAny)) && (!stages.length || stages.some(inAny));
		var parts = box.children;
		if (parts.length < 2) return;
		parts[0].hidden = !match;
		parts[1].hidden = match;
		box.setAttribute('data-sp-matched', match ? '1' : '0');
	}

	[].forEach.call(d.querySelectorAll('[data-sp-recs]'), function (box) {
		list(+box.getAttribute('data-count') || 5, +box.getAttribute('data-context') || 0).then(function (answer) { fill(box, answer); }, function () {});
	});
	[].forEach.call(d.querySelectorAll('[data-sp-show]'), function (box) {
		segments().then(function (answer) { reveal(box, answer); }, function () {});
	});
})(window, document);
