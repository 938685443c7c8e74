// spineflow study page. Vanilla JS; every text from an event is set with textContent or as an
// attribute value, never parsed as HTML.
(function () {
  'use strict';

  function el(tag, options, children) {
    const node = document.createElement(tag);
    const o = options || {};
    if (o.cls) node.className = o.cls;
    if (o.text !== undefined && o.text !== null) node.textContent = String(o.text);
    if (o.title) node.setAttribute('title', String(o.title));
    if (o.attrs) Object.keys(o.attrs).forEach((k) => node.setAttribute(k, String(o.attrs[k])));
    (children || []).forEach((c) => c && node.appendChild(c));
    return node;
  }
  function byId(id) {
    return document.getElementById(id);
  }
  function fmt(value, digits) {
    return value === null || value === undefined || Number.isNaN(value) ? '—' : Number(value).toFixed(digits);
  }
  function table(id, headers, rows) {
    const head = el('tr', {}, headers.map((h) => el('th', { text: h })));
    byId(id).replaceChildren(el('thead', {}, [head]), el('tbody', {}, rows));
  }
  function setStatus(kind, text) {
    byId('status').dataset.state = kind;
    byId('status-text').textContent = text;
  }

  function renderLevels(levels) {
    table(
      'levels',
      ['Level', 'Kind', 'Found', 'Slice', 'Anterior mm', 'Middle mm', 'Posterior mm', 'Canal AP mm', 'Flags'],
      levels
        .slice()
        .reverse() // top of the spine first, as on the image
        .map((l) =>
          el('tr', { cls: 'level' + (l.found ? '' : ' dim'), attrs: { 'data-level': l.name } }, [
            el('td', { text: l.name }),
            el('td', { text: l.kind }),
            el('td', { text: l.found ? 'yes' : 'missing' }),
            el('td', { text: l.sliceIndex === null ? '—' : l.sliceIndex }),
            el('td', { cls: 'anterior', text: fmt(l.anteriorMm, 2) }),
            el('td', { cls: 'middle', text: fmt(l.middleMm, 2) }),
            el('td', { cls: 'posterior', text: fmt(l.posteriorMm, 2) }),
            el('td', { cls: 'canal', text: fmt(l.canalApMm, 2) }),
            // The flag's code as a badge, its detail on hover (CODE: detail).
            el('td', { cls: 'flags' }, l.flags.map((f) => el('span', { cls: 'badge warn', text: f.split(':')[0], title: f }))),
          ]),
        ),
    );
  }

  function renderSide(r, page) {
    table(
      'volumes',
      ['Class', 'mL', 'Voxels'],
      r.classVolumes.map((v) => el('tr', {}, [el('td', { text: v.className }), el('td', { text: fmt(v.millilitres, 2) }), el('td', { text: v.voxels })])),
    );
    table(
      'models',
      ['Model', 'Version', 'Slices'],
      r.models.map((m) => el('tr', {}, [el('td', { text: m.modelName }), el('td', { text: 'v' + m.modelVersion }), el('td', { text: m.slices })])),
    );
    const warning = byId('mixed-warning');
    if (r.mixedModelVersions) {
      warning.hidden = false;
      warning.replaceChildren(
        el('strong', { text: 'Mixed model versions.' }),
        el('span', { text: 'A model swap fell inside this study: its slices were segmented by ' + r.models.map((m) => 'v' + m.modelVersion).join(' and ') + '.' }),
      );
    }
    const q = r.quality;
    const facts = [
      ['Slices with quality', q.slices],
      ['Mean confidence', fmt(q.meanMaxProbability, 3)],
      ['Implausible slices', q.implausibleSlices],
      ['Labelled slices', q.labelledSlices],
    ];
    Object.keys(q.meanDice || {}).sort().forEach((c) => facts.push(['Mean Dice · ' + c, fmt(q.meanDice[c], 3)]));
    facts.push(['Segmented slices', r.segmentedSlices.length + ' of ' + r.sourceSlices]);
    byId('quality').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })]));
    byId('study-flags').replaceChildren(
      ...(r.levelFlags.length ? r.levelFlags.map((f) => el('li', { text: f })) : [el('li', { cls: 'empty', text: 'None.' })]),
    );
    const links = [el('a', { cls: 'download', attrs: { id: 'download-labels', href: page.labelsUrl, download: page.labelsFileName || '' }, text: 'Label volume (.mha)' })];
    if (page.segUrl) {
      links.push(el('a', { cls: 'download', attrs: { id: 'download-seg', href: page.segUrl, download: page.segFileName || '' }, text: 'DICOM Segmentation' }));
    } else {
      links.push(el('span', { cls: 'empty', text: 'No DICOM Segmentation: ' + (r.dicomSegmentationSkipped || 'none was written') }));
    }
    if (page.reportUrl) {
      links.push(el('a', { cls: 'download', attrs: { id: 'download-report', href: page.reportUrl, download: page.reportFileName || '' }, text: 'Measurements (DICOM SR)' }));
    } else {
      links.push(el('span', { cls: 'empty', text: 'No measurement report: ' + (r.measurementReportSkipped || 'none was written') }));
    }
    byId('downloads').replaceChildren(...links);
  }

  function renderSlices(slices) {
    if (!slices.length) return;
    byId('study-slices').replaceChildren(
      ...slices.map((g) =>
        el('article', { cls: 'shot' }, [
          el('div', { cls: 'pics' + (g.truthUrl ? '' : ' single') }, [
            el('figure', {}, [
              el('img', { cls: 'overlay-prediction', attrs: { src: g.predictionUrl, alt: 'prediction overlay of slice ' + g.sliceIndex } }),
              el('figcaption', { text: 'prediction' }),
            ]),
            g.truthUrl
              ? el('figure', {}, [el('img', { cls: 'overlay-truth', attrs: { src: g.truthUrl, alt: 'ground truth of slice ' + g.sliceIndex } }), el('figcaption', { text: 'ground truth' })])
              : null,
          ]),
          el('div', { cls: 'meta' }, [
            el('div', { cls: 'title' }, [el('span', { cls: 'id', text: 'slice ' + g.sliceIndex }), el('span', { text: g.meanDice === null ? '' : 'Dice ' + fmt(g.meanDice, 3) })]),
            el('div', { cls: 'sub', text: g.modelName + ' v' + g.modelVersion }),
          ]),
        ]),
      ),
    );
  }

  function render(page) {
    const r = page.result;
    byId('study-uid').textContent = page.studyUid;
    byId('study-sub').textContent = r.sequence + ' · completed ' + new Date(r.completedAt).toLocaleString();
    document.title = 'spineflow · study ' + page.studyUid;
    renderLevels(r.levels);
    renderSide(r, page);
    renderSlices(page.slices);
    setStatus('live', 'loaded');
    document.body.dataset.loaded = 'true';
  }

  async function load() {
    const uid = new URLSearchParams(window.location.search).get('uid');
    if (!uid) {
      setStatus('down', 'no study named (study.html?uid=…)');
      return;
    }
    try {
      const response = await fetch('/api/studies/' + encodeURIComponent(uid), { cache: 'no-store' });
      if (response.status === 401) {
        window.location.assign('/signin');
        return;
      }
      if (response.status === 404) {
        byId('study-uid').textContent = uid;
        setStatus('waiting', 'no result for this study yet');
        document.body.dataset.loaded = 'missing';
        return;
      }
      if (!response.ok) {
        const body = await response.json().catch(() => ({}));
        setStatus('waiting', body.message || 'waiting for the dashboard (' + response.status + ')');
        setTimeout(load, 2000);
        return;
      }
      render(await response.json());
    } catch (e) {
      setStatus('down', 'cannot reach the dashboard — retrying');
      setTimeout(load, 2000);
    }
  }

  document.addEventListener('DOMContentLoaded', load);
})();
