/*! SegmentPress blocks (editor) | GPL-2.0-or-later — plain JavaScript on the wp.* globals, no build step. */
(function (wp) {
	var el = wp.element.createElement, __ = wp.i18n.__, be = wp.blockEditor, c = wp.components;
	var useBlockProps = be.useBlockProps, InnerBlocks = be.InnerBlocks, Inspector = be.InspectorControls;
	var ServerSideRender = wp.serverSideRender;

	wp.blocks.registerBlockType('segmentpress/recommendations', {
		edit: function (props) {
			var a = props.attributes, set = props.setAttributes;
			return el('div', useBlockProps(),
				el(Inspector, {},
					el(c.PanelBody, { title: __('List', 'segmentpress') },
						el(c.TextControl, { label: __('Title', 'segmentpress'), value: a.title, placeholder: __('Recommended for you', 'segmentpress'),
							onChange: function (v) { set({ title: v }); } }),
						el(c.RangeControl, { label: __('Number of posts', 'segmentpress'), value: a.count, min: 1, max: 20,
							onChange: function (v) { set({ count: v || 5 }); } }),
						el(c.SelectControl, { label: __('Layout', 'segmentpress'), value: a.layout,
							options: [{ label: __('List', 'segmentpress'), value: 'list' }, { label: __('Grid', 'segmentpress'), value: 'grid' }],
							onChange: function (v) { set({ layout: v }); } }))),
				el(ServerSideRender, { block: 'segmentpress/recommendations', attributes: a }),
				el('p', { className: 'description' }, __('Visitors see their own list; this preview shows what new readers see.', 'segmentpress')));
		},
		save: function () { return null; }
	});

	function SegmentHelp() {
		var state = wp.element.useState(null), list = state[0], setList = state[1];
		wp.element.useEffect(function () {
			wp.apiFetch({ path: '/segmentpress/v1/segments' }).then(setList, function () { setList([]); });
		}, []);
		if (!list) return el(c.Spinner);
		if (!list.length) return el('p', {}, __('The segment list is not available right now; type the keys.', 'segmentpress'));
		return el('ul', { className: 'segmentpress-segment-keys' }, list.map(function (s) {
			return el('li', { key: s.key }, el('code', {}, s.key), ' ', s.name, ' (', s.size, ')');
		}));
	}

	wp.blocks.registerBlockType('segmentpress/show', {
		edit: function (props) {
			var a = props.attributes, set = props.setAttributes;
			return el('div', useBlockProps({ className: 'segmentpress-show-editor' }),
				el(Inspector, {},
					el(c.PanelBody, { title: __('Who sees it', 'segmentpress') },
						el(c.TextControl, { label: __('Segments (comma-separated keys)', 'segmentpress'), value: a.segments,
							help: __('Any of these, e.g. bargain-hunter, vip, interest:recipes', 'segmentpress'),
							onChange: function (v) { set({ segments: v }); } }),
						el(c.TextControl, { label: __('Journey stages', 'segmentpress'), value: a.stages,
							help: __('Any of these, e.g. stage:decision', 'segmentpress'),
							onChange: function (v) { set({ stages: v }); } }),
						el(SegmentHelp))),
				el(InnerBlocks, {
					allowedBlocks: ['segmentpress/show-match', 'segmentpress/show-else'],
					template: [['segmentpress/show-match'], ['segmentpress/show-else']],
					templateLock: 'all'
				}));
		},
		save: function () { return el(InnerBlocks.Content); }
	});

	[['segmentpress/show-match', __('For the chosen segments', 'segmentpress')], ['segmentpress/show-else', __('For everyone else', 'segmentpress')]].forEach(function (b) {
		wp.blocks.registerBlockType(b[0], {
			edit: function () {
				return el('div', useBlockProps({ className: 'segmentpress-show-part' }),
					el('p', { className: 'segmentpress-show-part__label' }, el('strong', {}, b[1])),
					el(InnerBlocks, { templateLock: false, template: [['core/paragraph']] }));
			},
			save: function () { return el(InnerBlocks.Content); }
		});
	});
})(window.wp);
